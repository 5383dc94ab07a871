using LanguageExt;

namespace Lab.Stages.Train;

/// <summary>What training did: status ok / diverged, epochs run, best validation loss, time and throughput.</summary>
public sealed record TrainOutcome(
    string Status, string Reason, int Epochs, int BestEpoch, double BestValidation, double Seconds,
    long UnitsSeen, Seq<double> ValidationCurve)
{
    /// <summary>Training units (tokens, images, ...) per second of training.</summary>
    public double UnitsPerSecond => Seconds > 0 ? UnitsSeen / Seconds : 0;
}
