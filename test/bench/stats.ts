/** The middle value of a run's samples (the upper one of an even count): what the bench sections report. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
