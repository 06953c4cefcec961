using System.Diagnostics;
using Veritensor.Inference.Conformance;

namespace Veritensor.Inference.Tests;

/// <summary>
/// Finds the ONNX backend test data (Debian's libonnx-testdata). Shared with the network conformance tests in
/// Veritensor.Node.Tests, which link this file.
/// </summary>
internal static class ConformanceData
{
    /// <summary>
    /// Installs Debian's libonnx-testdata when missing (CI runs as root); skips the test visibly when that is impossible.
    /// Two test projects may install at once, so apt waits for the other's lock instead of failing.
    /// </summary>
    public static void EnsureInstalled()
    {
        if (Directory.Exists(OnnxTestCase.DebianNodeSuite)) return;
        try
        {
            using var install = Process.Start(new ProcessStartInfo("sh", ["-c", "export DEBIAN_FRONTEND=noninteractive; apt-get -o DPkg::Lock::Timeout=300 update && apt-get -o DPkg::Lock::Timeout=300 install -y libonnx-testdata"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            install.StandardOutput.ReadToEnd();
            install.StandardError.ReadToEnd();
            install.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No shell or no apt: fall through to the skip below.
        }
        if (!Directory.Exists(OnnxTestCase.DebianNodeSuite))
            Assert.Skip($"ONNX conformance data not found at {OnnxTestCase.DebianNodeSuite} and 'apt-get install -y libonnx-testdata' did not provide it");
    }
}
