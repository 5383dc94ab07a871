namespace Lab.Pipeline.Study;

/// <summary>
/// What a study folder belongs to: one domain, one preset, one study seed and one data set (its fingerprint, and the
/// path it was read from). A plan made again in the folder must have the same identity, so the trials of two data
/// sets (or presets, or seeds) are never mixed in one plan, one curve or one report; the refusal names both and the
/// ways out (another --out, or --start-over, which keeps the old study aside in the folder).
/// </summary>
public sealed record StudyIdentity(string Domain, string Preset, long Seed, string DataFingerprint, string DataPath)
{
    /// <summary>The identity a plan row carries.</summary>
    public static StudyIdentity Of(PlanRow row) => new(row.Domain, row.Preset, row.Seed, row.DataFingerprint, row.DataPath);

    /// <summary>The identity of the study a folder holds (from space.parquet, else plan.parquet), or None when it holds
    /// none yet (or neither table can be read: then the plan rewrites them, and trials that match no plan row stay unused).</summary>
    public static async Task<Option<StudyIdentity>> Read(StudyFiles files)
    {
        foreach (var table in new[] { files.Space, files.Plan })
        {
            if (!File.Exists(table)) continue;
            var rows = await ParquetTable.Read<PlanRow>(table);
            var first = rows.Match(r => r.Count > 0 ? Some(Of(r[0])) : None, _ => None);
            if (first.IsSome) return first;
        }
        return None;
    }

    /// <summary>Whether a plan of <paramref name="incoming"/> may go into a folder holding <paramref name="held"/>: the
    /// same domain, preset, seed and data fingerprint (the data may have moved: its path is not compared).</summary>
    public Either<Problem, Unit> Admits(StudyIdentity incoming, string dir)
    {
        var differences = new List<string>();
        if (!Domain.Equals(incoming.Domain, StringComparison.Ordinal)) differences.Add($"domain {Domain}, not {incoming.Domain}");
        if (!DataFingerprint.Equals(incoming.DataFingerprint, StringComparison.Ordinal))
            differences.Add($"data {DataFingerprint} (read from {DataPath}), not the {incoming.DataFingerprint} that {incoming.DataPath} holds now");
        if (!Preset.Equals(incoming.Preset, StringComparison.Ordinal)) differences.Add($"preset '{Preset}', not '{incoming.Preset}'");
        if (Seed != incoming.Seed) differences.Add($"seed {Seed}, not {incoming.Seed}");
        if (differences.Count == 0) return unit;
        return new Problem($"{dir}: this study folder belongs to another study: {string.Join("; ", differences)}",
            $"give a new --out for the new study, or add --start-over to move the old one aside into {Path.Combine(dir, StudyFiles.SupersededFolder)}/ " +
            "(nothing is deleted); or run with the data and options the folder was planned with");
    }
}
