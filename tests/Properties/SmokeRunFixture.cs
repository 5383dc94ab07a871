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
        using (var gz = new GZipStream(File.OpenRead(Path.Combine(Paths.RepoRoot(), "data/lm/gutenberg.txt.gz")), CompressionMode.Decompress))
        using (var reader = new StreamReader(gz))
        {
            var text = new char[600_000];
            int n = reader.ReadBlock(text, 0, text.Length);
            File.WriteAllText(Path.Combine(Data, "slice.txt"), new string(text, 0, n));
        }
        Out = Data + "-out";
        Args = ["run", "--domain", "lm", "--preset", "smoke", "--data", Data, "--out", Out, "--threads", "1", "--quiet", "--seed", Seed.ToString()];
        ExitCode = Cli.Run(Args).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        try { Directory.Delete(Data, true); Directory.Delete(Out, true); } catch (IOException) { }
    }
}

[CollectionDefinition("smoke run")]
public sealed class SmokeRunCollection : ICollectionFixture<SmokeRunFixture>;
