export * from "@/lib/stats/types";
export * from "@/lib/stats/pairwise-agreement";
export * from "@/lib/stats/kendall";
export * from "@/lib/stats/krippendorff";
export * from "@/lib/stats/bradley-terry";
export * from "@/lib/stats/bias";
export * from "@/lib/stats/gold";
export * from "@/lib/stats/comparisons";
