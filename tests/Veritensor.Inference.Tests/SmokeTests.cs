namespace Veritensor.Inference.Tests;
public class SmokeTests { [Fact] public void OrtLoads() => Assert.NotEmpty(Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()); }
