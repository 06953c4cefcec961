namespace Veritensor.Inference;
internal static class Placeholder { }
