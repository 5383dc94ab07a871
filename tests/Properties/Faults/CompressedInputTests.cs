using System.IO.Compression;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Pipeline;
using Lab.Pipeline.Domains.Image;
using Lab.Pipeline.Domains.Nmt;
using Lab.Pipeline.Domains.Speech;
using Lab.Pipeline.Io;

namespace Lab.Tests.Faults;

/// <summary>Compressed inputs are read to their verified end: a gzip archive cut short anywhere, with a flipped byte,
/// or with bytes after its last member is a problem naming the file — in the reader every domain uses (text, parallel
/// text, IDX, manifests) and through `pipeline run` (exit 2, nothing written) — while whole archives, one member or
/// several, read back exactly.</summary>
public class CompressedInputTests
{
    static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var g = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) g.Write(data);
        return ms.ToArray();
    }

    static byte[] Text(int seed, int length)
    {
        var rng = new Random(seed);
        var words = new[] { "the ", "curve ", "falls ", "as ", "data ", "grows\n", "model ", "size ", "and ", "error " };
        var sb = new StringBuilder();
        while (sb.Length < length) sb.Append(words[rng.Next(words.Length)]);
        return Encoding.UTF8.GetBytes(sb.ToString(0, length));
    }

    static (byte[] Data, int Members) Archive(Random rng) => (Text(rng.Next(), rng.Next(0, 60_000)), rng.Next(1, 4));

    static byte[] Members(byte[] data, int members)
    {
        int cut = data.Length / members;
        return Enumerable.Range(0, members).SelectMany(i => Gzip(data[(i * cut)..(i == members - 1 ? data.Length : (i + 1) * cut)])).ToArray();
    }

    [Property(MaxTest = 40)]
    public Property Whole_archives_of_one_or_more_members_read_back_exactly(PositiveInt seed)
    {
        var (data, members) = Archive(new Random(seed.Get));
        return InputFile.Gunzip("x.gz", Members(data, members)).Match(d => d.SequenceEqual(data), _ => false).Label($"{data.Length} bytes in {members} members");
    }

    [Property(MaxTest = 60)]
    public Property An_archive_cut_short_anywhere_is_a_problem_naming_the_file(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        var (data, members) = Archive(rng);
        var gz = Members(data, members);
        int keep = rng.Next(0, gz.Length);   // any length short of the whole
        return InputFile.Gunzip("corpus.txt.gz", gz[..keep]).Match(_ => false, p => p.What.StartsWith("corpus.txt.gz: ", StringComparison.Ordinal))
            .Label($"{keep} of {gz.Length} bytes ({members} members)");
    }

    [Property(MaxTest = 60)]
    public Property A_flipped_byte_never_reads_as_other_data_and_bytes_after_the_end_are_a_problem(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        var (data, members) = Archive(rng);
        var gz = Members(data, members);
        var flipped = (byte[])gz.Clone();
        flipped[rng.Next(10, gz.Length)] ^= (byte)(1 << rng.Next(8));   // past the first header's fixed part
        var padded = gz.Concat(Enumerable.Repeat((byte)0, rng.Next(1, 17))).ToArray();
        // a flip that gzip's checks cannot see (a header flag, the mtime) must still give back the original bytes
        bool flipOk = InputFile.Gunzip("f.gz", flipped).Match(d => d.SequenceEqual(data), _ => true);
        return (flipOk && InputFile.Gunzip("f.gz", padded).IsLeft).Label($"{gz.Length} bytes, {members} members");
    }

    static string Temp() { var d = Path.Combine(Path.GetTempPath(), $"lab-gz-{Guid.NewGuid():N}"); Directory.CreateDirectory(d); return d; }

    static void CutShort(string path) { var b = File.ReadAllBytes(path); File.WriteAllBytes(path, b[..(b.Length * 2 / 3)]); }

    [Fact]
    public void The_parallel_text_reader_refuses_a_truncated_tsv_gz()
    {
        var dir = Temp();
        var lines = string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"{i}\tsentence number {i} in english\tfrase número {i} en español"));
        var file = Path.Combine(dir, "pairs.tsv.gz");
        File.WriteAllBytes(file, Gzip(Encoding.UTF8.GetBytes(lines)));
        Assert.True(ParallelFiles.Load(file).IsRight);
        CutShort(file);
        var problem = ParallelFiles.Load(file).Match(_ => "", p => p.What);
        Assert.StartsWith(file, problem);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void The_idx_reader_refuses_a_truncated_archive()
    {
        var dir = Temp();
        foreach (var f in Directory.GetFiles(Path.Combine(Paths.RepoRoot(), "data", "image"), "*.gz")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        var labels = Path.Combine(dir, "t10k-labels-idx1-ubyte.gz");
        CutShort(labels);
        var problem = ImageFiles.Load(dir).Match(_ => "", p => p.What);
        Assert.StartsWith(labels, problem);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void The_manifest_reader_refuses_a_truncated_gzipped_manifest()
    {
        var dir = Temp();
        var manifest = string.Join('\n', Enumerable.Range(0, 400).Select(i => Lab.Stages.Domains.Speech.Manifest.Line($"a{i}.wav", 1.5, $"utterance number {i} of the test")));
        var file = Path.Combine(dir, "train.jsonl.gz");
        File.WriteAllBytes(file, Gzip(Encoding.UTF8.GetBytes(manifest)));
        var layout = SpeechFiles.Locate(dir);
        Assert.True(layout.IsRight);
        Assert.True(layout.Bind(l => SpeechFiles.Splits(l, 0.1, 1)).IsRight);
        CutShort(file);
        var problem = layout.Bind(l => SpeechFiles.Splits(l, 0.1, 1)).Match(_ => "", p => p.What);
        Assert.StartsWith(file, problem);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_study_on_a_truncated_corpus_is_exit_2_naming_the_file_and_writes_nothing()
    {
        var dir = Temp();
        File.WriteAllBytes(Path.Combine(dir, "corpus.txt.gz"), Gzip(Encoding.UTF8.GetBytes(ShippedText.Slice(300_000))));
        var file = Path.Combine(dir, "corpus.txt.gz");
        CutShort(file);
        var outDir = dir + "-out";
        var err = new StringWriter();
        int code = await Cli.Run(["run", "--domain", "lm", "--preset", "smoke", "--data", dir, "--out", outDir, "--threads", "1", "--quiet"], err, TextWriter.Null);
        Assert.Equal(2, code);
        Assert.Contains(file, err.ToString());
        Assert.False(Directory.Exists(outDir), "the refused run left its output folder");
        Directory.Delete(dir, true);
    }
}
