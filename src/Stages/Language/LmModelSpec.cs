namespace Lab.Stages.Language;

/// <summary>
/// One point of a language model's size ladder: the family ("lstm", or "rhn" — a recurrent highway network), embedding
/// width, recurrent width, depth (stacked LSTM layers; for an RHN the recurrence depth: highway layers per time step) and
/// dropout while training; for an RHN optionally the initial bias of its transform gates.
/// </summary>
/// <param name="GateBias">An RHN's initial transform-gate bias (absent: <see cref="RhnLm.TransformBias"/>, −2). Not an
/// LSTM value. Absent from the serialised spec when not given, so the ids of trials without it do not change.</param>
public sealed record LmModelSpec(int Embed, int Hidden, int Layers, double Dropout, string Arch = "lstm",
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] double? GateBias = null)
    : Lab.Stages.Search.IModelSpec
{
    /// <summary>Canonical name, part of the trial id (an LSTM's name is the one it had before there were families; an
    /// RHN's gains <c>-g</c> and its gate bias when one is given).</summary>
    public string Name => Arch == "lstm"
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"lstm-e{Embed}-h{Hidden}-l{Layers}-d{Dropout:0.###}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Arch}-e{Embed}-h{Hidden}-r{Layers}-d{Dropout:0.###}{(GateBias is double g ? $"-g{g:0.###}" : "")}");

    /// <summary>Parameter count for a vocabulary of size v (embedding, recurrence, output layer).</summary>
    public long Parameters(int v) => (long)v * Embed + RecurrentWeights + RecurrentBiases + (long)Hidden * v + v;

    /// <summary>Biases of the recurrence: an LSTM layer's two bias vectors of 4H, an RHN layer's one of 2H.</summary>
    public long RecurrentBiases => (Arch == "lstm" ? 8L : 2L) * Hidden * Layers;

    /// <summary>Weights of the recurrence (no biases): what each token multiplies besides the output layer.</summary>
    public long RecurrentWeights
    {
        get
        {
            long w = 0;
            if (Arch == "lstm")
                for (int l = 0; l < Layers; l++) w += 4L * Hidden * ((l == 0 ? Embed : Hidden) + Hidden);
            else
                w = 2L * Hidden * Embed + Layers * 2L * Hidden * Hidden;
            return w;
        }
    }

    /// <summary>What makes this spec one no model can be built from (an LSTM given an RHN's gate bias), or null.</summary>
    public string? Invalid => Arch == "lstm" && GateBias is not null
        ? $"the LSTM {Name} has a GateBias, which only recurrent highway networks take" : null;

    /// <summary>A model of this spec over a vocabulary (draws from torch's global generator: seed it first).</summary>
    public LanguageModel Create(int vocabSize) => Arch switch
    {
        _ when Invalid is string why => throw new ArgumentException(why),
        "lstm" => new LstmLm(this, vocabSize),
        "rhn" => new RhnLm(this, vocabSize),
        _ => throw new ArgumentException($"unknown language-model family '{Arch}' (lstm, rhn)")
    };
}
