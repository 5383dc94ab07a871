using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Stages.Train;

/// <summary>How a trial ended: trained (ok), its loss became NaN or infinite (diverged), or it could not be trained
/// (failed: an exception, or no epoch finished). Diverged is a result — the configuration does not train at that rate —
/// and counts as an infinitely bad error in the search; failed is not, and the trial is run again.</summary>
public enum TrialStatus
{
    /// <summary>Trained, exported and evaluated.</summary>
    Ok,
    /// <summary>The training or validation loss became NaN or infinite.</summary>
    Diverged,
    /// <summary>Could not be trained (an exception, or no epoch finished).</summary>
    Failed,
}

/// <summary>The status as the <c>status</c> column of trials.parquet and metrics.parquet spells it.</summary>
public static class TrialStatusText
{
    /// <summary>"ok", "diverged" or "failed".</summary>
    public static string Text(this TrialStatus s) => s switch
    {
        TrialStatus.Ok => "ok",
        TrialStatus.Diverged => "diverged",
        _ => "failed",
    };

    /// <summary>The status a column value names; none for anything else.</summary>
    public static Option<TrialStatus> Parse(string text) => text switch
    {
        "ok" => Some(TrialStatus.Ok),
        "diverged" => Some(TrialStatus.Diverged),
        "failed" => Some(TrialStatus.Failed),
        _ => None,
    };
}
