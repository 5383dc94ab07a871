namespace Lab.Pipeline.Study;

/// <summary>
/// The one place that decides whether a trial has a result: its row file reads as exactly one row, and — when it
/// trained a model — the model file is there with the SHA-256 the row records. Anything else is no result (the trial
/// is trained again), said once on the reporter, never an exception.
/// Files are read asynchronously by <see cref="Refresh"/> (the result files that appeared since the last look) and
/// <see cref="Reread"/> (one trial's file as it is now); <see cref="Read"/> is then a lookup, so the search's replay can
/// ask for results as it goes without blocking on I/O. What was read is remembered for the life of the cache.
/// </summary>
public sealed class TrialCache(StudyFiles files, Reporter report, bool quiet = false)
{
    /// <summary>Row files read so far: their one row, or what is wrong with them (said when the trial is first asked for).</summary>
    readonly Dictionary<string, Either<string, TrialRow>> read = new();
    /// <summary>Trials asked for: their result, or null when they have none.</summary>
    readonly Dictionary<string, TrialRow?> rows = new();

    /// <summary>Reads the result files of the trials folder that this cache has not read yet.</summary>
    public async Task<TrialCache> Refresh()
    {
        if (!Directory.Exists(files.Trials)) return this;
        var fresh = Directory.EnumerateFiles(files.Trials)
            .Where(p => Path.GetExtension(p) == ".parquet")
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .Where(id => !read.ContainsKey(id) && !rows.ContainsKey(id))
            .Order(StringComparer.Ordinal).ToList();
        foreach (var id in fresh) read[id] = await Load(id);
        return this;
    }

    /// <summary>The trial's result row, or null when it has none (no file at the last <see cref="Refresh"/>, unreadable,
    /// or its model file is gone or altered).</summary>
    public TrialRow? Read(string id)
    {
        if (rows.TryGetValue(id, out var known)) return known;
        if (!read.TryGetValue(id, out var file)) return null;   // no file yet: a later Refresh may find one
        var row = file.MatchUnsafe(r => Verified(id, r), problem => { Say($"{problem}; the trial will be trained again"); return null; });
        rows[id] = row;
        return row;
    }

    /// <summary>The trial's result as its file holds it now (another process may have written it since it was read).</summary>
    public async Task<TrialRow?> Reread(string id)
    {
        rows.Remove(id);
        read.Remove(id);
        if (File.Exists(files.Trial(id))) read[id] = await Load(id);
        return Read(id);
    }

    /// <summary>Records a result written just now.</summary>
    public void Remember(TrialRow row) => rows[row.TrialId] = row;

    /// <summary>The file's one row, or what is wrong with it.</summary>
    async Task<Either<string, TrialRow>> Load(string id)
    {
        var path = files.Trial(id);
        var table = await ParquetTable.Read<TrialRow>(path);
        return table.MapLeft(e => e.What).Bind(r => r.Count == 1
            ? Right<string, TrialRow>(r[0])
            : Left<string, TrialRow>($"{path}: {r.Count} rows, not one"));
    }

    /// <summary>The row when its status is known and its model file is the one it records; null (said) otherwise.</summary>
    TrialRow? Verified(string id, TrialRow row)
    {
        var path = files.Trial(id);
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
