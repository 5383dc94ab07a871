using System.IO.Compression;
using Lab.Pipeline;

namespace Lab.Tests;

/// <summary>One smoke-preset run on a slice of the shipped corpus, shared by the tests that read its outputs.</summary>
public sealed class SmokeRunFixture : IDisposable
{
    public string Data { get; }
    public string Out { get; }
    public string[] Args { get; }
    public int ExitCode { get; }
    public const long Seed = 3;

    public SmokeRunFixture()
    {
        TorchSetup.Once();
        Data = Path.Combine(Path.GetTempPath(), $"lab-slice-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Data);
        File.WriteAllText(Path.Combine(Data, "slice.txt"), ShippedText.Slice(600_000));
        Out = Data + "-out";
        Args = ["run", "--domain", "lm", "--preset", "smoke", "--data", Data, "--out", Out, "--threads", "1", "--quiet", "--seed", Seed.ToString()];
        ExitCode = Cli.Run(Args).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        try { Directory.Delete(Data, true); Directory.Delete(Out, true); } catch (IOException) { }
    }
}

/// <summary>The first characters of the shipped lm corpus, for studies small enough for a test.</summary>
public static class ShippedText
{
    public static string Slice(int chars)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Paths.RepoRoot(), "data/lm/gutenberg.txt.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var text = new char[chars];
        int n = reader.ReadBlock(text, 0, text.Length);
        return new string(text, 0, n);
    }
}

[CollectionDefinition("smoke run")]
public sealed class SmokeRunCollection : ICollectionFixture<SmokeRunFixture>;
