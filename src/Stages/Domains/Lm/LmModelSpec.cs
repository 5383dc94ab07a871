namespace Lab.Stages.Domains.Lm;

/// <summary>One point of the model-size grid: embedding width, LSTM width and depth, dropout while training.</summary>
public sealed record LmModelSpec(int Embed, int Hidden, int Layers, double Dropout)
{
    /// <summary>Canonical name, part of the trial id.</summary>
    public string Name => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"lstm-e{Embed}-h{Hidden}-l{Layers}-d{Dropout:0.###}");

    /// <summary>Parameter count for a vocabulary of size v (embedding, LSTM, output layer).</summary>
    public long Parameters(int v)
    {
        long p = (long)v * Embed;
        for (int l = 0; l < Layers; l++) p += 4L * Hidden * ((l == 0 ? Embed : Hidden) + Hidden) + 8L * Hidden;
        return p + (long)Hidden * v + v;
    }
}
