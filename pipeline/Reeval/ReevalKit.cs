namespace Lab.Pipeline.Reeval;

/// <summary>
/// What every domain's re-evaluation reads from a model file, written once: the metadata keys it needs, the version of
/// the units or features the model was trained with, where its data is (--data, or the shipped data when the model
/// names it), numbers from the metadata, and the batch. Every problem names the model file.
/// </summary>
public static class ReevalKit
{
    /// <summary>Unit, or a problem naming the first key the model's metadata lacks.</summary>
    public static Either<Problem, Unit> Require(this ReevalRequest r, params string[] keys)
        => keys.FirstOrDefault(k => !r.Metadata.ContainsKey(k)) is string key
            ? new Problem($"{r.ModelPath}: metadata lacks '{key}', needed to rebuild the evaluation set")
            : Right<Problem, Unit>(unit);

    /// <summary>Unit when the model's <paramref name="key"/> is this build's <paramref name="version"/>, else a problem
    /// saying which (<paramref name="what"/>: tokenisation, preprocessing, …).</summary>
    public static Either<Problem, Unit> SameVersion(this ReevalRequest r, string key, string version, string what)
        => r.Metadata[key] == version ? Right<Problem, Unit>(unit)
            : new Problem($"{r.ModelPath}: {what} {r.Metadata[key]} is not this build's {version}", "re-evaluate with the build that trained it");

    /// <summary>--data when given, else the shipped data when the model was trained on it, else a problem naming the data
    /// the model was trained on (<paramref name="what"/>: "corpus", "images", …).</summary>
    public static Either<Problem, string> DataOrShipped(this ReevalRequest r, string defaultData, string what)
        => r.DataPath is not null ? r.DataPath
            : r.Metadata["data_source"] == Path.GetFileName(defaultData) ? Path.Combine(Paths.RepoRoot(), defaultData)
            : new Problem($"{r.ModelPath}: the model was trained on '{r.Metadata["data_source"]}', not the shipped {what}", "give it with --data");

    /// <summary>An integer of the metadata (invariant culture).</summary>
    public static int Int(this ReevalRequest r, string key) => int.Parse(r.Metadata[key], CultureInfo.InvariantCulture);

    /// <summary>A long integer of the metadata (invariant culture).</summary>
    public static long Long(this ReevalRequest r, string key) => long.Parse(r.Metadata[key], CultureInfo.InvariantCulture);

    /// <summary>--batch when given, else the model's recorded <c>eval_batch</c>, else <paramref name="fallback"/>.</summary>
    public static int BatchOr(this ReevalRequest r, int fallback)
        => r.Batch > 0 ? r.Batch : r.Metadata.TryGetValue("eval_batch", out var b) ? int.Parse(b, CultureInfo.InvariantCulture) : fallback;
}

/// <summary>
/// Evaluation sets rebuilt for re-evaluation, once per key (the data's path and every setting that cuts the set), so
/// re-evaluating a whole study reads and cuts its data once.
/// </summary>
/// <typeparam name="T">The domain's prepared data.</typeparam>
public sealed class ReevalSets<T>
{
    readonly Dictionary<string, T> cache = new();

    /// <summary>The set of <paramref name="key"/>, built on first use; a problem building it names the model file.</summary>
    public Either<Problem, T> Get(ReevalRequest r, string key, Func<Either<Problem, T>> build)
        => cache.TryGetValue(key, out var hit) ? Right<Problem, T>(hit)
            : build().Map(d => cache[key] = d).MapLeft(p => p with { What = $"{r.ModelPath}: {p.What}" });
}
