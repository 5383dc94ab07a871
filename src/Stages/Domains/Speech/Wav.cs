using LanguageExt;
using System.Buffers.Binary;

namespace Lab.Stages.Domains.Speech;

/// <summary>Reads 16-bit PCM WAV (RIFF) audio into samples in [−1, 1]; anything else is a problem naming the file and
/// suggesting a conversion.</summary>
public static class Wav
{
    const string Convert = "convert it, e.g. sox input.wav -r 16000 -c 1 -b 16 output.wav";

    /// <summary>(sample rate, mono samples) of a WAV file's bytes.</summary>
    public static Either<Problem, (int SampleRate, float[] Samples)> Parse(string name, ReadOnlySpan<byte> b)
    {
        if (b.Length < 12 || b[..4].SequenceEqual("RIFF"u8) == false || b[8..12].SequenceEqual("WAVE"u8) == false)
            return new Problem($"{name}: not a RIFF/WAVE file", Convert);
        int at = 12, channels = 0, rate = 0, bits = 0, format = 0;
        while (at + 8 <= b.Length)
        {
            var id = b.Slice(at, 4); int size = BinaryPrimitives.ReadInt32LittleEndian(b[(at + 4)..]);
            if (size < 0 || at + 8 + (long)size > b.Length) return new Problem($"{name}: truncated WAV chunk", Convert);
            var body = b.Slice(at + 8, size);
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16) return new Problem($"{name}: malformed fmt chunk", Convert);
                format = BinaryPrimitives.ReadUInt16LittleEndian(body); channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]); bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format != 1 || bits != 16) return new Problem($"{name}: {(format == 1 ? $"{bits}-bit" : $"format {format}")} audio; only 16-bit PCM is read", Convert);
                if (channels < 1) return new Problem($"{name}: no channels", Convert);
                int frames = size / (2 * channels);
                var samples = new float[frames];
                for (int i = 0; i < frames; i++)
                {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) sum += BinaryPrimitives.ReadInt16LittleEndian(body[((i * channels + c) * 2)..]);
                    samples[i] = (float)(sum / channels / 32768.0);
                }
                return (rate, samples);
            }
            at += 8 + size + (size & 1);
        }
        return new Problem($"{name}: no data chunk", Convert);
    }

    /// <summary>A 16-bit PCM mono WAV file of the samples (for tests and generated corpora).</summary>
    public static byte[] Write(int sampleRate, ReadOnlySpan<float> samples)
    {
        var b = new byte[44 + samples.Length * 2];
        "RIFF"u8.CopyTo(b); BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), 36 + samples.Length * 2); "WAVE"u8.CopyTo(b.AsSpan(8));
        "fmt "u8.CopyTo(b.AsSpan(12)); BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(20), 1); BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(24), sampleRate); BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(28), sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(32), 2); BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(34), 16);
        "data"u8.CopyTo(b.AsSpan(36)); BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(40), samples.Length * 2);
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(44 + 2 * i), (short)Math.Clamp(Math.Round(samples[i] * 32767.0), -32768, 32767));
        return b;
    }
}
