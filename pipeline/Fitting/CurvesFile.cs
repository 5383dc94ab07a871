using Lab.Fit;
using Parquet.Serialization;

namespace Lab.Pipeline.Fitting;

/// <summary>
/// Reads learning curves from CSV or Parquet: columns <c>curve, m, error</c>, optional <c>split</c> (fit/holdout),
/// <c>params</c>, <c>errors</c> (the point's per-seed errors, ';'-separated, which the bootstrap resamples), <c>train_flops</c> and
/// <c>train_seconds</c> (one training run of the point's best model: the compute projections fit them); the extra columns of the pipeline's own curve.parquet are accepted too. Any other column is an error
/// naming it, as is a value that is not a number. Rows keep their curve's name.
/// </summary>
public static class CurvesFile
{
    static readonly string[] Required = ["curve", "m", "error"];
    static readonly string[] Optional = ["split", "params", "params_below", "errors", "train_flops", "train_seconds", "bound_by"];
    static readonly string[] PipelineExtras = ["domain", "shard_index", "shard_examples", "best_trial_id", "model", "learning_rate", "test_error", "trials_in_shard",
        "error_std", "seeds", "bracketed", "bound_by", "margin", "family", "budget_stops", "ladders_grown"];

    /// <summary>Curves by name, in first-appearance order.</summary>
    public static async Task<Either<Problem, List<(string Curve, List<CurvePoint> Points)>>> Read(string path)
    {
        if (!File.Exists(path)) return new Problem($"{path}: no such file", "check --curves");
        List<Dictionary<string, string?>> rows;
        try
        {
            rows = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? await ReadParquet(path) : ReadCsv(path);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException or Parquet.ParquetException or NotSupportedException or InvalidOperationException)
        {
            return new Problem($"{path}: cannot be read as {(path.EndsWith(".parquet") ? "Parquet" : "CSV")} ({e.Message})");
        }
        if (rows.Count == 0) return new Problem($"{path}: no rows");
        var columns = rows[0].Keys.ToList();
        var missing = Required.Where(c => !columns.Contains(c)).ToList();
        if (missing.Count > 0) return new Problem($"{path}: missing column(s) {string.Join(", ", missing)}", $"the columns are {string.Join(", ", Required)} and optionally {string.Join(", ", Optional)}");
        var unknown = columns.Where(c => !Required.Contains(c) && !Optional.Contains(c) && !PipelineExtras.Contains(c)).ToList();
        if (unknown.Count > 0) return new Problem($"{path}: unknown column(s) {string.Join(", ", unknown)}", $"the columns are {string.Join(", ", Required)} and optionally {string.Join(", ", Optional)}");

        var curves = new List<(string, List<CurvePoint>)>();
        var byName = new Dictionary<string, List<CurvePoint>>();
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            string name = r["curve"] ?? "";
            double? Num(string col)
            {
                var s = r.GetValueOrDefault(col);
                if (string.IsNullOrWhiteSpace(s)) return null;
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"row {i + 1}, column {col}: '{s}' is not a number");
            }
            CurvePoint point;
            try
            {
                point = new CurvePoint(Num("m") ?? double.NaN, Num("error") ?? double.NaN,
                    string.IsNullOrWhiteSpace(r.GetValueOrDefault("split")) ? "fit" : r["split"]!.Trim().ToLowerInvariant(), Num("params"), Replicates(r.GetValueOrDefault("errors")),
                    Num("train_flops"), Num("train_seconds"), Num("params_below") is double b && double.IsFinite(b) ? b : null,
                    CurvePoint.SizeBoundOf(r.GetValueOrDefault("bound_by") ?? ""));
            }
            catch (FormatException e) { return new Problem($"{path}: curve '{name}': {e.Message}"); }
            if (!byName.TryGetValue(name, out var list)) { list = []; byName[name] = list; curves.Add((name, list)); }
            list.Add(point);
        }
        return curves;
    }

    /// <summary>The ';'-separated per-seed errors of a point (empty when absent).</summary>
    public static Seq<double> Replicates(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return default;
        var parts = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new FormatException($"column errors: '{p}' is not a number")).ToSeq();
    }

    static List<Dictionary<string, string?>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0) return [];
        var header = Fields(lines[0]).Select(h => h.Trim().ToLowerInvariant()).ToList();
        var rows = new List<Dictionary<string, string?>>();
        for (int i = 1; i < lines.Count; i++)
        {
            var f = Fields(lines[i]);
            if (f.Count != header.Count) throw new FormatException($"line {i + 1} has {f.Count} fields, the header {header.Count}");
            rows.Add(header.Zip(f, (h, v) => (h, v)).ToDictionary(p => p.h, p => (string?)p.v.Trim()));
        }
        return rows;
    }

    /// <summary>Fields of one CSV line (double quotes may wrap a field; "" inside quotes is a quote).</summary>
    public static List<string> Fields(string line)
    {
        var fields = new List<string>(); var cur = new System.Text.StringBuilder(); bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cur.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(c);
        }
        fields.Add(cur.ToString());
        return fields;
    }

    static async Task<List<Dictionary<string, string?>>> ReadParquet(string path)
    {
        await using var s = File.OpenRead(path);
        var result = await ParquetSerializer.DeserializeUntypedAsync(s);
        // every column of the schema in every row (a null value may have no entry: DuckDB, pandas and Spark write
        // optional columns)
        var columns = result.Schema.Fields.Select(f => f.Name).ToList();
        return result.Data.Select(d => columns.ToDictionary(c => c.ToLowerInvariant(),
            c => d.TryGetValue(c, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null)).ToList();
    }
}
