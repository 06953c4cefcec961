namespace Veritensor.Consensus;

/// <summary>One stored entry of a weights or bonds row as the chain keeps it: <c>(uid, u16)</c>.</summary>
public readonly record struct U16Entry(int Column, ushort Value);
