using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Pipeline;
using Lab.Pipeline.Domains.Image;
using Lab.Stages.Domains.Image;
using SkiaSharp;

namespace Lab.Tests;

public class ImageDataTests
{
    static ImageSet Synthetic(int seed, int perClass, int k)
    {
        var rng = new Random(seed);
        var labels = Enumerable.Range(0, perClass * k).Select(i => i % k).OrderBy(_ => rng.Next()).ToArray();
        var px = new byte[labels.Length * 16];
        rng.NextBytes(px);
        return new ImageSet(px, labels, 1, 4, 4, k);
    }

    [Property(MaxTest = 30)]
    public Property Shards_are_class_balanced_nested_and_disjoint_from_validation(PositiveInt seed, byte kPick)
    {
        int k = 2 + kPick % 9;
        var train = Synthetic(seed.Get, 60, k);
        var test = Synthetic(seed.Get + 1, 5, k);
        var preset = ImagePreset.Shipped.Smoke with { ValPerClass = 7, Shards = new Lab.Stages.Subset.ShardLadder(k * 2, k * 16, 4) };
        return ImageData.Prepare(train, test, preset, seed.Get).Match(d =>
        {
            bool balanced = Enumerable.Range(0, 4).All(s =>
            {
                int n = k * 2 << s;
                var counts = d.Train.Labels.Take(n).GroupBy(l => l).Select(g => g.Count()).ToArray();
                return counts.Length == k && counts.All(c => c == n / k);
            });
            bool valBalanced = d.Val.Labels.GroupBy(l => l).All(g => g.Count() == 7);
            // disjoint: every training image appears once across validation and training
            var all = d.Val.Pixels.Chunk(16).Concat(d.Train.Pixels.Chunk(16)).Select(Convert.ToHexString).ToList();
            bool disjoint = all.Distinct().Count() == all.Count && all.Count == train.Count;
            var again = ImageData.Prepare(train, test, preset, seed.Get).Match(x => x.Fingerprint, _ => "");
            return (balanced && valBalanced && disjoint && again == d.Fingerprint).Label($"balanced {balanced} val {valBalanced} disjoint {disjoint}");
        }, e => false.Label(e.ToString()));
    }

    [Fact]
    public void Idx_errors_name_the_file_and_the_problem()
    {
        byte[] Header(int magic, params int[] dims) => [.. BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(magic)),
            .. dims.SelectMany(d => BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(d)))];
        var images = Header(0x803, 2, 2, 2).Concat(new byte[8]).ToArray();
        var labels = Header(0x801, 2).Concat(new byte[] { 0, 1 }).ToArray();
        Assert.True(Idx.Parse("i", images, "l", labels).IsRight);
        Assert.Contains("a.idx: not an IDX image file", Idx.Parse("a.idx", labels, "l", labels).Match(_ => "", e => e.What));
        Assert.Contains("b.idx: not an IDX label file", Idx.Parse("i", images, "b.idx", images).Match(_ => "", e => e.What));
        var three = Header(0x801, 3).Concat(new byte[] { 0, 1, 1 }).ToArray();
        Assert.Contains("i has 2 images but l has 3 labels", Idx.Parse("i", images, "l", three).Match(_ => "", e => e.What));
        Assert.Contains("header says 2 images", Idx.Parse("i", images[..20], "l", labels).Match(_ => "", e => e.What));
    }

    [Fact]
    public void An_image_folder_tree_loads_and_a_bad_image_is_named()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lab-tree-{Guid.NewGuid():N}");
        foreach (var split in new[] { "train", "test" })
            foreach (var (cls, shade) in new[] { ("cat", (byte)30), ("dog", (byte)200) })
            {
                Directory.CreateDirectory(Path.Combine(dir, split, cls));
                for (int i = 0; i < 3; i++)
                {
                    using var bmp = new SKBitmap(5, 4);
                    bmp.Erase(new SKColor((byte)(shade + i), (byte)(shade + i), (byte)(shade + i)));
                    using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
                    File.WriteAllBytes(Path.Combine(dir, split, cls, $"{i}.png"), data.ToArray());
                }
            }
        var (train, test) = ImageFiles.Load(dir).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal((6, 1, 4, 5, 2), (train.Count, train.Channels, train.Height, train.Width, train.Classes));
        Assert.Equal(6, test.Count);
        Assert.Equal([0, 0, 0, 1, 1, 1], train.Labels);
        Assert.Equal(200, train.Pixels[3 * 20]);
        File.WriteAllText(Path.Combine(dir, "test", "dog", "broken.png"), "not an image");
        var err = ImageFiles.Load(dir).Match(_ => "", e => e.What);
        Assert.Contains("broken.png", err);
        Assert.Contains("not a readable", err);
        Directory.Delete(dir, true);
    }
}

/// <summary>The image smoke preset end to end on the shipped Fashion-MNIST, then re-evaluation of its models.</summary>
public class ImageEndToEndTests
{
    [Fact]
    public async Task Image_smoke_run_measures_three_metrics_per_family_and_reeval_reproduces_them()
    {
        TorchSetup.Once();
        var outDir = Path.Combine(Path.GetTempPath(), $"lab-img-{Guid.NewGuid():N}");
        Assert.Equal(0, await Cli.Run(["run", "--domain", "image", "--preset", "smoke", "--arch", "all", "--out", outDir, "--threads", "1", "--quiet"]));
        var trials = (await Lab.Pipeline.Io.ParquetTable.Read<Lab.Pipeline.Results.TrialRow>(Path.Combine(outDir, "trials.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var plan = (await Lab.Pipeline.Io.ParquetTable.Read<Lab.Pipeline.Study.PlanRow>(Path.Combine(outDir, "plan.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(plan.Count, trials.Count);
        Assert.Equal(["cnn", "resnet"], trials.Select(t => t.Family).Distinct().Order().ToArray());
        Assert.All(trials, t =>
        {
            Assert.Equal("ok", t.Status);
            Assert.Equal("images", t.SizeUnit);
            Assert.True(t.ValTop1Error is > 0 and < 1 && t.ValTop5Error < t.ValTop1Error && double.IsFinite(t.TestCrossEntropy), $"{t.Model}: {t.ValTop1Error} {t.ValTop5Error}");
            Assert.True(Math.Abs(t.OrtTorchGap) < 1e-4, $"ORT−torch {t.OrtTorchGap}");
        });
        var curves = (await Lab.Pipeline.Io.ParquetTable.Read<Lab.Pipeline.Results.CurveRow>(Path.Combine(outDir, "curve.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(9 * 3, curves.Count);   // 3 metrics × (all, resnet, cnn) × 3 shards (240 → 60 images)
        Assert.All(curves, c => Assert.Equal(2, c.Seeds));
        Assert.Contains(curves, c => c.Curve == "image/cnn:val_top1_error");
        var reevalOut = outDir + "-reeval";
        Assert.Equal(0, await Cli.Run(["reeval", "--models", Path.Combine(outDir, "trials.parquet"), "--out", reevalOut, "--threads", "1", "--quiet"]));
        var rows = (await Lab.Pipeline.Io.ParquetTable.Read<Lab.Pipeline.Reeval.ReevalRow>(Path.Combine(reevalOut, "reevals.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(trials.Count, rows.Count);
        Assert.All(rows, r => Assert.True(r.Metric == "val_top1_error" && Math.Abs(r.Difference) <= 1e-5 * Math.Max(1e-9, Math.Abs(r.RecordedValue)) + 1e-12, $"{r.TrialId}: {r.Value} vs {r.RecordedValue}"));
        Directory.Delete(outDir, true); Directory.Delete(reevalOut, true);
    }

    [Fact]
    public async Task A_folder_with_a_wrong_idx_file_is_exit_code_2_naming_it()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lab-idx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Path.Combine(Paths.RepoRoot(), "data", "image"), "*.gz")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), File.ReadAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte.gz")));
        var err = new StringWriter();
        int code = await Cli.Run(["run", "--domain", "image", "--preset", "smoke", "--data", dir, "--out", dir + "-out", "--quiet"], err);
        Assert.Equal(2, code);
        Assert.Contains("t10k-labels-idx1-ubyte.gz: not an IDX label file", err.ToString());
        Directory.Delete(dir, true);
        if (Directory.Exists(dir + "-out")) Directory.Delete(dir + "-out", true);
    }
}
