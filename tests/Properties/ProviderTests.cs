using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;
using Lab.Stages.Evaluate;

namespace Lab.Tests;

/// <summary>A fact for a machine whose ONNX Runtime CUDA provider does not load (no GPU, no CUDA libraries): skipped
/// with the reason where it does load (that path is checked by hand on a GPU machine).</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (OrtSessions.CudaProblem is null) Skip = "ONNX Runtime's CUDA provider loads here: the refusal path cannot be shown";
    }
}

/// <summary>ONNX Runtime's provider: the GPU package is in every build, its CPU provider runs the evaluations where CUDA
/// does not load, --provider cuda is then refused naming what is missing, and every row records the provider that ran.</summary>
[Collection("smoke run")]
public class ProviderTests(SmokeRunFixture smoke)
{
    [Fact]
    public void The_build_carries_the_CUDA_provider_and_auto_falls_back_to_the_CPU_when_it_does_not_load()
    {
        Assert.Contains("CUDAExecutionProvider", OrtSessions.Available());
        Assert.Equal(OrtSessions.CudaProblem is null ? "cuda" : "cpu", OrtSessions.Resolve("auto").Match(p => p, e => e.ToString()));
        Assert.Equal("cpu", OrtSessions.Resolve("cpu").Match(p => p, e => e.ToString()));
        Assert.True(OrtSessions.Resolve("tpu").IsLeft);
    }

    [NoCudaFact]
    public async Task Provider_cuda_without_a_usable_GPU_is_exit_2_naming_the_missing_library()
    {
        Assert.Contains(".so", OrtSessions.CudaProblem!);   // the library that did not load, e.g. libcublasLt.so.13
        var outDir = Path.Combine(Path.GetTempPath(), $"lab-cuda-{Guid.NewGuid():N}");
        foreach (var args in new[]
                 {
                     smoke.Args.Select(a => a == smoke.Out ? outDir : a).Concat(["--provider", "cuda"]).ToArray(),
                     ["reeval", "--models", Path.Combine(smoke.Out, "trials.parquet"), "--provider", "cuda", "--out", outDir, "--quiet"],
                     ["trial", "--plan", Path.Combine(smoke.Out, "plan.parquet"), "--index", "0", "--provider", "cuda", "--quiet"],
                 })
        {
            var err = new StringWriter();
            int code = await Cli.Run(args, err, TextWriter.Null);
            Assert.True(code == 2, $"{args[0]}: exit {code}: {err}");
            Assert.Contains(".so", err.ToString());
            Assert.Contains("cuda", err.ToString());
        }
        Assert.False(Directory.Exists(outDir), "a refused command left its output folder");
    }

    [Fact]
    public async Task Every_trial_row_records_the_provider_its_model_was_measured_on()
    {
        Assert.Equal(0, smoke.ExitCode);
        var trials = (await ParquetTable.Read<TrialRow>(Path.Combine(smoke.Out, "trials.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.All(trials.Where(t => t.Status == "ok"), t => Assert.Equal(OrtSessions.CudaProblem is null ? "cuda" : "cpu", t.OrtProvider));
    }
}
