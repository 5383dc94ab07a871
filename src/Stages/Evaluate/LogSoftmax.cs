using System.Numerics.Tensors;

namespace Lab.Stages.Evaluate;

/// <summary>Cross-entropy of one row of logits, as every domain's ONNX Runtime evaluation computes it.</summary>
public static class LogSoftmax
{
    /// <summary>−log softmax(z)[target], computed stably: vectorised max, exp and sum in float, the log in double.</summary>
    public static double NegLog(ReadOnlySpan<float> z, int target)
    {
        float max = TensorPrimitives.Max(z);
        var buffer = System.Buffers.ArrayPool<float>.Shared.Rent(z.Length);
        try
        {
            var b = buffer.AsSpan(0, z.Length);
            TensorPrimitives.Subtract(z, max, b);
            TensorPrimitives.Exp(b, b);
            return Math.Log(TensorPrimitives.Sum(b)) + max - z[target];
        }
        finally { System.Buffers.ArrayPool<float>.Shared.Return(buffer); }
    }
}
