namespace Lab.Stages.Train;

/// <summary>A training batch held on the host until its step: makes its tensors inside the step's dispose scope.</summary>
/// <param name="Make">Builds the batch's tensors (inputs and targets, in the order the domain's loss reads them) on a device.</param>
/// <param name="Units">How many training units (tokens, images) it carries, for throughput.</param>
public sealed record Batch(Func<Device, Tensor[]> Make, long Units);
