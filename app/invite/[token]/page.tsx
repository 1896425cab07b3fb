import { AcceptInviteForm } from "@/components/auth/accept-invite-form";

export const metadata = { title: "Accept invite" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <div className="mx-auto mt-12 max-w-sm">
      <h1 className="mb-6 text-2xl font-bold tracking-tight">Set up your account</h1>
      <AcceptInviteForm token={token} />
    </div>
  );
}
