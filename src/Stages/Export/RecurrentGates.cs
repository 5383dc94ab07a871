namespace Lab.Stages.Export;

/// <summary>PyTorch's recurrent weight blocks reordered into ONNX's gate order (the operators' specs fix both orders).</summary>
public static class RecurrentGates
{
    /// <summary>LSTM: PyTorch's i,f,g,o blocks (along dim 0) as ONNX's i,o,f,c.</summary>
    public static Tensor Lstm(Tensor t)
    {
        var c = t.detach().chunk(4, 0);
        return cat([c[0], c[3], c[1], c[2]], 0);
    }

    /// <summary>GRU: PyTorch's r,z,n blocks (along dim 0) as ONNX's z,r,h.</summary>
    public static Tensor Gru(Tensor t)
    {
        var c = t.detach().chunk(3, 0);
        return cat([c[1], c[0], c[2]], 0);
    }
}
