namespace Lab.Stages.Domains.Nmt;

/// <summary>One point of the translation model grid: architecture ("lstm"), width (embedding = hidden units), layers.</summary>
public sealed record NmtModelSpec(string Arch, int Width, int Layers, double Dropout) : Lab.Stages.Search.IModelSpec
{
    /// <summary>Canonical name, part of the trial id.</summary>
    public string Name => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Arch}-w{Width}-l{Layers}-d{Dropout:0.###}");
}
