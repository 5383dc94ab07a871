using System.Diagnostics;
using Google.Protobuf;
using Lab.Stages.Domains.Image;
using Lab.Stages.Domains.Lm;
using Lab.Stages.Language;
using Lab.Stages.Domains.Nmt;
using Lab.Stages.Domains.Speech;
using static TorchSharp.torch;

namespace Lab.Tests;

/// <summary>Every exported model passes the independent checker of Debian's python3-onnx (full_check=True).</summary>
public class OnnxCheckerTests
{
    [Fact]
    public void Exported_models_pass_onnx_checker_full_check()
    {
        TorchSetup.Once();
        var dir = Path.Combine(Path.GetTempPath(), $"lab-onnx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var specs = new[] { new LmModelSpec(8, 8, 1, 0), new LmModelSpec(16, 12, 2, 0.1), new LmModelSpec(5, 32, 3, 0),
            new LmModelSpec(6, 10, 1, 0, "rhn"), new LmModelSpec(8, 12, 3, 0.1, "rhn") };
        foreach (var (s, i) in specs.Select((s, i) => (s, i)))
        {
            manual_seed(i);
            using var m = s.Create(50 + i);
            var meta = new Dictionary<string, string> { ["domain"] = "lm", ["trial_id"] = $"t{i}", ["vocab"] = "<unk>\n<eos>\nthe" };
            File.WriteAllBytes(Path.Combine(dir, $"m{i}.onnx"), m.ToOnnx(meta).ToByteArray());
        }
        foreach (var (s, i) in new[] { new ImageModelSpec("resnet", 4, 2), new ImageModelSpec("cnn", 3, 1) }.Select((s, i) => (s, i)))
        {
            manual_seed(10 + i);
            using var net = new ConvNet(s, 1 + i, 10, 0.3f, 0.4f);
            var meta = new Dictionary<string, string> { ["domain"] = "image", ["trial_id"] = $"img{i}", ["vocab"] = "-" };
            File.WriteAllBytes(Path.Combine(dir, $"img{i}.onnx"), ImageOnnx.Export(net, 1 + i, 12, 10, meta).ToByteArray());
        }
        int translationGraphs = 0;
        foreach (var arch in new[] { "lstm", "transformer" })
        {
            manual_seed(20);
            using TorchSharp.torch.nn.Module<Tensor, Tensor, Tensor> nmt = arch == "lstm"
                ? new Seq2SeqLstm(new NmtModelSpec(arch, 6, 2, 0), 30) : new Seq2SeqTransformer(new NmtModelSpec(arch, 16, 2, 0), 30, 24);
            var meta = new Dictionary<string, string> { ["domain"] = "nmt", ["trial_id"] = $"nmt-{arch}", ["vocab"] = "-" };
            var (scoring, encoder, step) = NmtExport.Graphs(nmt, meta);
            File.WriteAllBytes(Path.Combine(dir, $"nmt-{arch}.onnx"), scoring);
            File.WriteAllBytes(Path.Combine(dir, $"nmt-{arch}.encoder.onnx"), encoder);
            File.WriteAllBytes(Path.Combine(dir, $"nmt-{arch}.step.onnx"), step);
            translationGraphs += 3;
        }
        foreach (var (s, i) in new[] { new SpeechModelSpec("ds2", 6, 2, 3), new SpeechModelSpec("conv", 8, 2) }.Select((s, i) => (s, i)))
        {
            manual_seed(30 + i);
            using var asr = SpeechTraining.Create(s, 29);
            var meta = new Dictionary<string, string> { ["domain"] = "speech", ["trial_id"] = $"asr{i}", ["vocab"] = "-" };
            File.WriteAllBytes(Path.Combine(dir, $"asr{i}.onnx"), SpeechOnnx.Export(asr, meta).ToByteArray());
        }
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), "Debian's /usr/bin/python3 with python3-onnx is needed (apt-get install python3-onnx); .ci/run installs it");
        var script = "import glob,sys,onnx\n" +
                     "fs=sorted(glob.glob(sys.argv[1]+'/*.onnx'))\n" +
                     "assert fs\n" +
                     "for f in fs:\n" +
                     "    m=onnx.load(f)\n" +
                     "    onnx.checker.check_model(m, full_check=True)\n" +
                     "    assert m.opset_import[0].version==17\n" +
                     "    assert {p.key for p in m.metadata_props} >= {'domain','trial_id','vocab'}\n" +
                     "print('checked', len(fs))\n";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(script); psi.ArgumentList.Add(dir);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd(); var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"onnx.checker failed: {stderr}");
        Assert.Contains($"checked {specs.Length + 2 + translationGraphs + 2}", stdout);   // language models (LSTM, RHN), image, translation (both architectures), speech
        Directory.Delete(dir, true);
    }
}
