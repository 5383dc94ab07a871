namespace Lab.Pipeline.Study;

/// <summary>
/// The one place that decides whether a trial has a result: its row file reads as exactly one row, and — when it
/// trained a model — the model file is there with the SHA-256 the row records. Anything else is no result (the trial
/// is trained again), said once on the reporter, never an exception. Results are remembered for the life of the cache.
/// </summary>
public sealed class TrialCache(StudyFiles files, Reporter report, bool quiet = false)
{
    readonly Dictionary<string, TrialRow?> rows = new();

    /// <summary>The trial's result row, or null when it has none (missing, unreadable, or its model file is gone or altered).</summary>
    public TrialRow? Read(string id)
    {
        if (rows.TryGetValue(id, out var known)) return known;
        var row = Load(id);
        rows[id] = row;
        return row;
    }

    /// <summary>The trial's result as its file holds it now (another process may have written it since it was read).</summary>
    public TrialRow? Reread(string id)
    {
        rows.Remove(id);
        return Read(id);
    }

    /// <summary>Records a result written just now.</summary>
    public void Remember(TrialRow row) => rows[row.TrialId] = row;

    TrialRow? Load(string id)
    {
        var path = files.Trial(id);
        if (!File.Exists(path)) return null;
        var read = ParquetTable.Read<TrialRow>(path).GetAwaiter().GetResult();
        // (LanguageExt's Match refuses null results: the problem is "" when there is none)
        string problem = read.Match(r => r.Count == 1 ? "" : $"{path}: {r.Count} rows, not one", e => e.What);
        if (problem.Length > 0) { Say($"{problem}; the trial will be trained again"); return null; }
        var row = read.Match(r => r[0], _ => new TrialRow());
        if (TrialStatusText.Parse(row.Status).IsNone) { Say($"{path}: status '{row.Status}' is none of ok, diverged, failed; the trial will be trained again"); return null; }
        if (row.Outcome == TrialStatus.Ok && row.OnnxPath.Length > 0)
        {
            var model = Path.Combine(files.Dir, row.OnnxPath);
            if (!File.Exists(model)) { Say($"{model}: the model of trial {id} is missing; the trial will be trained again"); return null; }
            var sha = Hashing.Sha256(File.ReadAllBytes(model));
            if (sha != row.OnnxSha256) { Say($"{model}: SHA-256 {sha[..12]}… is not the recorded {row.OnnxSha256[..Math.Min(12, row.OnnxSha256.Length)]}…; the trial will be trained again"); return null; }
        }
        return row;
    }

    void Say(string line) { if (!quiet) report.Error(line); }
}
