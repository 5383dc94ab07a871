using Lab.Stages.Core;
using LanguageExt;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Stages.Evaluate;

/// <summary>Opens ONNX Runtime sessions with explicit threads on the chosen execution provider.</summary>
public static class OrtSessions
{
    /// <summary>Providers this ONNX Runtime build offers (e.g. CPUExecutionProvider, CUDAExecutionProvider).</summary>
    public static IReadOnlyList<string> Available() => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>"cuda" when asked for and offered, "cpu" when asked for; auto picks CUDA when offered.</summary>
    public static Either<Problem, string> Resolve(string provider) => provider.ToLowerInvariant() switch
    {
        "cpu" => "cpu",
        "auto" => Available().Contains("CUDAExecutionProvider") ? "cuda" : "cpu",
        "cuda" => Available().Contains("CUDAExecutionProvider")
            ? "cuda"
            : new Problem($"ONNX Runtime {OrtEnv.Instance().GetVersionString()} here offers no CUDA provider (it has: {string.Join(", ", Available())})",
                "use --provider cpu, or build with -p:Accelerator=cuda on a machine whose feed serves Microsoft.ML.OnnxRuntime.Gpu"),
        _ => new Problem($"unknown provider '{provider}'", "use auto, cpu or cuda")
    };

    /// <summary>A session over model bytes with <paramref name="threads"/> intra-op threads, sequential execution.</summary>
    public static InferenceSession Open(byte[] model, int threads, string provider = "cpu")
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR
        };
        if (provider == "cuda") options.AppendExecutionProvider_CUDA(0);
        return new InferenceSession(model, options);
    }
}
