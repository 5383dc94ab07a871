namespace Lab.Stages.Core;

/// <summary>Prepared data with the fingerprint plan rows record (a hash of everything a trial reads).</summary>
public interface IFingerprinted
{
    /// <summary>The data's fingerprint.</summary>
    string Fingerprint { get; }
}
