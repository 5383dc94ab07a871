using LanguageExt;
namespace Lab.Stages.Train;

/// <summary>What training did: its status (<see cref="TrialStatus"/>), why it stopped (<see cref="StopReasons"/>), epochs run,
/// best validation loss, time and throughput. <paramref name="Seconds"/> counts the training batches only;
/// <paramref name="LoopSeconds"/> the whole loop (validation after each epoch and the best weights' snapshots too).</summary>
public sealed record TrainOutcome(
    TrialStatus Status, string Reason, int Epochs, int BestEpoch, double BestValidation, double Seconds,
    long UnitsSeen, Seq<double> ValidationCurve, string StoppedBy = StopReasons.EarlyStop, int Decays = 0, double LoopSeconds = double.NaN)
{
    /// <summary>Training units (tokens, images, ...) per second of training.</summary>
    public double UnitsPerSecond => Seconds > 0 ? UnitsSeen / Seconds : 0;
}

/// <summary>Why a training run stopped (the trial row's <c>stopped_by</c>).</summary>
public static class StopReasons
{
    /// <summary>Patience ran out: validation stopped improving (converged).</summary>
    public const string EarlyStop = "early-stop";
    /// <summary>The epoch budget ran out while the model could still be improving.</summary>
    public const string Budget = "budget";
    /// <summary>The loss became NaN or infinite.</summary>
    public const string Diverged = "diverged";
    /// <summary>Stopped as hopeless: well behind the incumbent of its search after as many epochs as the incumbent needed.</summary>
    public const string Pruned = "pruned";
}
