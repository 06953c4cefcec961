namespace Veritensor.Training;

/// <summary>Moves parameters against their accumulated gradients, then clears the gradients for the next batch.</summary>
public interface IOptimizer
{
    void Step(IEnumerable<Parameter> parameters);
}
