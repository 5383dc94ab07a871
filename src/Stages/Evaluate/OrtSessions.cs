using LanguageExt;
using Microsoft.ML.OnnxRuntime;

namespace Lab.Stages.Evaluate;

/// <summary>Opens ONNX Runtime sessions with explicit threads on the chosen execution provider.</summary>
public static class OrtSessions
{
    /// <summary>Providers this ONNX Runtime build offers (e.g. CPUExecutionProvider, CUDAExecutionProvider).</summary>
    public static IReadOnlyList<string> Available() => OrtEnv.Instance().GetAvailableProviders();

    static readonly Lazy<string?> cudaProblem = new(ProbeCuda);

    /// <summary>Why the CUDA provider cannot run here (null when it can): it is built in, but it loads only where its
    /// libraries (CUDA, cuBLAS, cuDNN) and a device are there. Probed once per process, quietly.</summary>
    public static string? CudaProblem => cudaProblem.Value;

    static string? ProbeCuda()
    {
        if (!Available().Contains("CUDAExecutionProvider")) return $"ONNX Runtime {OrtEnv.Instance().GetVersionString()} here has no CUDA provider";
        var env = OrtEnv.Instance();
        var level = env.EnvLogLevel;
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;   // the failed load would otherwise print its own error
        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(0);
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            // name what is missing: loading the provider library reports its first missing dependency
            var library = Path.Combine(AppContext.BaseDirectory, "libonnxruntime_providers_cuda.so");
            string why = e.Message;
            try { System.Runtime.InteropServices.NativeLibrary.Free(System.Runtime.InteropServices.NativeLibrary.Load(library)); }
            catch (DllNotFoundException d) { why = d.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? d.Message; }
            return $"the CUDA provider of ONNX Runtime {env.GetVersionString()} does not load: {why}";
        }
        finally { env.EnvLogLevel = level; }
    }

    /// <summary>The provider to run: "cpu" when asked for; "cuda" when asked for and it loads (else a problem naming
    /// what is missing); auto: CUDA when it loads, else the CPU.</summary>
    public static Either<Problem, string> Resolve(string provider) => provider.ToLowerInvariant() switch
    {
        "cpu" => "cpu",
        "auto" => CudaProblem is null ? "cuda" : "cpu",
        "cuda" => CudaProblem is { } why
            ? new Problem($"--provider cuda: {why}", "install CUDA 13 and cuDNN 9 (the libraries ONNX Runtime's CUDA provider needs) on a machine with a GPU, or use --provider cpu or auto")
            : "cuda",
        _ => new Problem($"unknown provider '{provider}'", "use auto, cpu or cuda")
    };

    /// <summary>The provider sessions open on unless told otherwise: set once by the command (<see cref="Use"/>), "cpu" until then.</summary>
    public static string Current { get; private set; } = "cpu";

    /// <summary>Resolves <paramref name="provider"/> and makes it the one sessions open on; the problem when it cannot run.</summary>
    public static Either<Problem, string> Use(string provider) => Resolve(provider).Map(p => Current = p);

    /// <summary>A session over model bytes with <paramref name="threads"/> intra-op threads (not spinning), sequential
    /// execution, on <paramref name="provider"/> (default: <see cref="Current"/>).</summary>
    public static InferenceSession Open(byte[] model, int threads, string? provider = null)
    {
        provider ??= Current;
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
