using System.Globalization;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;

namespace Lab.Tests.Faults;

/// <summary>What a finished study promises to reproduce exactly: every trial (id, status, metrics, epochs, model hash),
/// every curve point and every fitted parameter.</summary>
static class StudySignature
{
    static List<T> Rows<T>(string path) where T : class, new()
        => ParquetTable.Read<T>(path).GetAwaiter().GetResult().Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static List<string> Of(string dir)
        => Rows<TrialRow>(Path.Combine(dir, "trials.parquet"))
            .Select(t => $"trial {t.TrialId} {t.Status} {R(t.ValCrossEntropy)} {R(t.TestCrossEntropy)} {t.Epochs} {t.OnnxSha256}")
            .Concat(Rows<CurveRow>(Path.Combine(dir, "curve.parquet")).Select(c => $"curve {c.Curve} {R(c.M)} {R(c.Error)} {R(c.Params)} {c.Errors} {c.Bracketed}"))
            .Concat(Rows<FitRow>(Path.Combine(dir, "fits.parquet")).Select(f => $"fit {f.Curve} {f.Family} {f.Parameter} {R(f.Value)}"))
            .Order(StringComparer.Ordinal).ToList();
}
