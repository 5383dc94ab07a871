using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lab.Pipeline.Reeval;

/// <summary>What a re-evaluation ran on: CPU model and cores, GPU and driver (when nvidia-smi answers), OS.</summary>
public sealed record MachineInfo(string CpuModel, int CpuCores, string GpuName, string GpuDriver, string Os)
{
    /// <summary>Reads this machine.</summary>
    public static MachineInfo Read()
    {
        string cpu = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) cpu = line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        var (gpu, driver) = NvidiaSmi();
        return new MachineInfo(cpu, Environment.ProcessorCount, gpu, driver, RuntimeInformation.OSDescription);
    }

    static (string, string) NvidiaSmi()
    {
        try
        {
            var psi = new ProcessStartInfo("nvidia-smi", "--query-gpu=name,driver_version --format=csv,noheader") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi);
            if (p is null) return ("", "");
            var first = p.StandardOutput.ReadLine() ?? "";
            p.WaitForExit(5000);
            var parts = first.Split(',', StringSplitOptions.TrimEntries);
            return parts.Length == 2 ? (parts[0], parts[1]) : ("", "");
        }
        catch (System.ComponentModel.Win32Exception) { return ("", ""); }   // no nvidia-smi: no NVIDIA GPU driver here
    }
}
