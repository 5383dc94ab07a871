namespace Lab.Stages.Train;

/// <summary>
/// Adam (Kingma and Ba; betas 0.9 and 0.999, eps 1e-8, no weight decay) doing TorchSharp's update operation for
/// operation, so results are bit-identical to <c>optim.Adam</c>, but with every <see cref="Scalar"/> created explicitly,
/// held by a local until its native call has returned, and disposed. TorchSharp's own step converts doubles to Scalars
/// implicitly and leaves them to the finalizer, which can free one while a native call still reads it (seen as
/// "Unknown scalar type" in a long study; dotnet/TorchSharp PRs 1434 and 1496).
/// </summary>
public sealed class ExplicitAdam : IDisposable
{
    const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;
    readonly TorchSharp.Modules.Parameter[] parameters;
    readonly Tensor[] firstMoment, secondMoment;
    long steps;

    /// <summary>The step size of the next update (the trainer halves it on plateaus).</summary>
    public double LearningRate { get; set; }

    /// <summary>An optimizer over the parameters, with zero moments.</summary>
    public ExplicitAdam(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate)
    {
        this.parameters = parameters.ToArray();
        LearningRate = learningRate;
        using var _ = no_grad();
        firstMoment = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        secondMoment = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters)
        {
            using var g = p.grad;
            g?.zero_();
        }
    }

    /// <summary>One update from the current gradients (parameters without a gradient are left alone).</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        steps++;
        double correction1 = 1 - Math.Pow(Beta1, steps), correction2 = 1 - Math.Pow(Beta2, steps);
        using Scalar beta1 = Beta1.ToScalar(), keep1 = (1 - Beta1).ToScalar(), beta2 = Beta2.ToScalar(), keep2 = (1 - Beta2).ToScalar(),
            root2 = Math.Sqrt(correction2).ToScalar(), eps = Eps.ToScalar(), stepSize = (-(LearningRate / correction1)).ToScalar();
        for (int i = 0; i < parameters.Length; i++)
        {
            using var g = parameters[i].grad;
            if (g is null) continue;
            firstMoment[i].mul_(beta1).add_(g, alpha: keep1);
            secondMoment[i].mul_(beta2).addcmul_(g, g, value: keep2);
            using var denominator = secondMoment[i].sqrt().div_(root2).add_(eps, ScalarOps.One);
            parameters[i].addcdiv_(firstMoment[i], denominator, value: stepSize);
        }
    }

    /// <summary>Frees the moment tensors.</summary>
    public void Dispose()
    {
        foreach (var t in firstMoment.Concat(secondMoment)) t.Dispose();
    }
}
