using System.Runtime.InteropServices;

namespace Veritensor.Consensus;

/// <summary>One entry of a sparse fixed-point row: subtensor's <c>(u16, I32F32)</c> pair.</summary>
/// <remarks>
/// Packed to 12 bytes instead of 16: the epoch streams matrices of millions of entries, so a quarter less memory per
/// entry is a quarter less memory traffic in every pass.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct SparseEntry(int Column, I32F32 Value);
