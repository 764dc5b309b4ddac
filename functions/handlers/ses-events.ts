// placeholder for bundling; the real handler lands from the feature branch
export const handler = async () => {};
