using System.Numerics;

namespace Lab.Stages.Domains.Speech;

/// <summary>
/// Log-mel filterbank features: 16 kHz audio, 25 ms frames (400 samples) every 10 ms (160 samples), no centring
/// (audio shorter than one frame is zero-padded to one), a periodic Hann window, |FFT|² over 512 points, 80 triangular
/// filters evenly spaced on the HTK mel scale (2595·log10(1 + f/700)) from 0 Hz to 8 kHz, and ln(max(energy, 1e-10)).
/// Checked against an independent numpy implementation in the tests. <see cref="Normalise"/> standardises each bin
/// over the utterance.
/// </summary>
public static class LogMel
{
    /// <summary>Sample rate the features assume.</summary>
    public const int SampleRate = 16000;
    /// <summary>Frame length in samples (25 ms).</summary>
    public const int Window = 400;
    /// <summary>Hop in samples (10 ms).</summary>
    public const int Hop = 160;
    /// <summary>FFT size.</summary>
    public const int Fft = 512;
    /// <summary>Mel bins.</summary>
    public const int Bins = 80;
    /// <summary>Recorded in every speech model.</summary>
    public const string Version = "logmel80-25ms-10ms-hann-htk-v1";

    static readonly float[] Hann = Enumerable.Range(0, Window).Select(n => (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * n / Window))).ToArray();
    static readonly float[,] Filters = MelFilters();

    static double Mel(double hz) => 2595 * Math.Log10(1 + hz / 700);
    static double Hz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);

    /// <summary>The [bins, fft/2 + 1] triangular filter weights.</summary>
    public static float[,] MelFilters()
    {
        int nBins = Fft / 2 + 1;
        var edges = Enumerable.Range(0, Bins + 2).Select(i => Hz(Mel(SampleRate / 2.0) * i / (Bins + 1))).ToArray();
        var f = new float[Bins, nBins];
        for (int m = 0; m < Bins; m++)
            for (int k = 0; k < nBins; k++)
            {
                double hz = (double)k * SampleRate / Fft;
                double up = (hz - edges[m]) / (edges[m + 1] - edges[m]), down = (edges[m + 2] - hz) / (edges[m + 2] - edges[m + 1]);
                f[m, k] = (float)Math.Max(0, Math.Min(up, down));
            }
        return f;
    }

    /// <summary>Frames × bins log-mel energies, row-major.</summary>
    public static float[] Compute(ReadOnlySpan<float> samples, out int frames)
    {
        var audio = samples.Length >= Window ? samples.ToArray() : [.. samples, .. new float[Window - samples.Length]];
        frames = 1 + (audio.Length - Window) / Hop;
        var result = new float[frames * Bins];
        var buffer = new Complex[Fft];
        var power = new double[Fft / 2 + 1];
        for (int t = 0; t < frames; t++)
        {
            for (int i = 0; i < Fft; i++) buffer[i] = i < Window ? new Complex(audio[t * Hop + i] * Hann[i], 0) : Complex.Zero;
            Transform(buffer);
            for (int k = 0; k <= Fft / 2; k++) power[k] = buffer[k].Real * buffer[k].Real + buffer[k].Imaginary * buffer[k].Imaginary;
            for (int m = 0; m < Bins; m++)
            {
                double e = 0;
                for (int k = 0; k <= Fft / 2; k++) e += Filters[m, k] * power[k];
                result[t * Bins + m] = (float)Math.Log(Math.Max(e, 1e-10));
            }
        }
        return result;
    }

    /// <summary>Each bin standardised to zero mean and unit variance over the utterance's frames, in place.</summary>
    public static void Normalise(float[] features, int frames)
    {
        for (int m = 0; m < Bins; m++)
        {
            double sum = 0, sq = 0;
            for (int t = 0; t < frames; t++) { double v = features[t * Bins + m]; sum += v; sq += v * v; }
            double mean = sum / frames, std = Math.Sqrt(Math.Max(sq / frames - mean * mean, 0)) + 1e-5;
            for (int t = 0; t < frames; t++) features[t * Bins + m] = (float)((features[t * Bins + m] - mean) / std);
        }
    }

    /// <summary>In-place iterative radix-2 FFT (length a power of two).</summary>
    static void Transform(Complex[] a)
    {
        int n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) (a[i], a[j]) = (a[j], a[i]);
        }
        for (int len = 2; len <= n; len <<= 1)
        {
            var w = Complex.FromPolarCoordinates(1, -2 * Math.PI / len);
            for (int i = 0; i < n; i += len)
            {
                var wk = Complex.One;
                for (int k = 0; k < len / 2; k++)
                {
                    var u = a[i + k]; var v = a[i + k + len / 2] * wk;
                    a[i + k] = u + v; a[i + k + len / 2] = u - v;
                    wk *= w;
                }
            }
        }
    }
}
