namespace Lab.Stages.Language;

/// <summary>
/// Cuts token streams into fixed-length windows (input t, target t+1) laid out time-major, [T, B], as the LSTM and the
/// exported ONNX graph take them. The same windows feed TorchSharp and ONNX Runtime evaluation, so their metrics agree.
/// </summary>
public static class LmWindows
{
    /// <summary>Start positions of the non-overlapping windows of length <paramref name="t"/> after an offset.</summary>
    public static int[] Starts(int streamLength, int t, int offset = 0)
    {
        int n = Math.Max(0, (streamLength - 1 - offset) / t);
        return Enumerable.Range(0, n).Select(i => offset + i * t).ToArray();
    }

    /// <summary>Inputs and targets of a batch of windows, each [t, starts.Count] time-major, as int64.</summary>
    public static (long[] X, long[] Y) Batch(int[] stream, IReadOnlyList<int> starts, int t)
    {
        int b = starts.Count;
        var x = new long[t * b]; var y = new long[t * b];
        for (int j = 0; j < b; j++)
            for (int i = 0; i < t; i++)
            {
                x[i * b + j] = stream[starts[j] + i];
                y[i * b + j] = stream[starts[j] + i + 1];
            }
        return (x, y);
    }
}
