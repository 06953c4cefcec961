using Veritensor.Core;

namespace Veritensor.Training.Tests;

/// <summary>
/// A learnable problem, generated: points around one of several seeded centres, labelled by their centre, with noise
/// large enough that a linear guess is not perfect.
/// </summary>
internal static class Blobs
{
    public static (float[] Inputs, int[] Labels) Generate(int count, int features, int classes, ulong seed)
    {
        var random = new SplitMix64(seed);
        var centres = new float[classes * features];
        for (var i = 0; i < centres.Length; i++)
            centres[i] = 2f * random.NextSignedUnit();
        var inputs = new float[count * features];
        var labels = new int[count];
        for (var row = 0; row < count; row++)
        {
            var label = random.NextInt(classes);
            labels[row] = label;
            for (var f = 0; f < features; f++)
                inputs[row * features + f] = centres[label * features + f] + 0.6f * random.NextSignedUnit();
        }
        return (inputs, labels);
    }
}
