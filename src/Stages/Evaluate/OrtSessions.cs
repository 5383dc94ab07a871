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

    /// <summary>A session over model bytes with <paramref name="threads"/> intra-op threads (not spinning), sequential execution.</summary>
    public static InferenceSession Open(byte[] model, int threads, string provider = "cpu")
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR
        };
        // Idle pool threads sleep instead of spinning: a decoder step is ~90 small nodes, and on 2 cores spinning threads
        // halved greedy decoding (nmt w64, 2 threads: LSTM 3,777 -> 7,630 and Transformer 1,555 -> 2,934 sentences/s
        // without spinning; other domains' evaluation within their run-to-run spread).
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (provider == "cuda") options.AppendExecutionProvider_CUDA(0);
        return new InferenceSession(model, options);
    }
}
