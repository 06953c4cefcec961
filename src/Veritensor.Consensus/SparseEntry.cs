namespace Veritensor.Consensus;

/// <summary>One entry of a sparse fixed-point row: subtensor's <c>(u16, I32F32)</c> pair.</summary>
public readonly record struct SparseEntry(int Column, I32F32 Value);
