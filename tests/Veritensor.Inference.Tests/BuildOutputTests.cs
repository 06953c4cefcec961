using System.Runtime.InteropServices;

namespace Veritensor.Inference.Tests;

/// <summary>Directory.Build.targets keeps only the build machine's ONNX Runtime natives in a consumer's output (46 MB instead of 239 MB).</summary>
[UnitTest]
public class BuildOutputTests
{
    [Fact]
    public void Only_the_host_onnxruntime_natives_are_copied()
    {
        var runtimes = Path.Combine(AppContext.BaseDirectory, "runtimes");
        var ortLibraries = Directory
            .GetFiles(runtimes, "*onnxruntime*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(runtimes, f).Replace('\\', '/'))
            .ToArray();
        Assert.NotEmpty(ortLibraries);
        // One platform folder only (the build machine's portable RID, e.g. linux-x64), not ORT's dozen.
        var platform = Assert.Single(ortLibraries.Select(f => f.Split('/')[0]).Distinct());
        Assert.EndsWith(RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), platform);
        if (OperatingSystem.IsLinux())
            Assert.Contains($"{platform}/native/libonnxruntime.so", ortLibraries);
    }
}
