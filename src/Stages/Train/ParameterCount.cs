namespace Lab.Stages.Train;

/// <summary>Trainable parameters of a model, counted on a throw-away instance built on the CPU (domains call it when
/// they plan, which the study runs on the torch thread).</summary>
public static class ParameterCount
{
    /// <summary>Builds the model, counts its parameters, frees it.</summary>
    public static long Of(Func<nn.Module> build)
    {
        using var m = build();
        return m.parameters().Sum(p => p.numel());
    }
}
