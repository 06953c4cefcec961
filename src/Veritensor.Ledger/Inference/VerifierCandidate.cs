using Veritensor.Core;
using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.Inference;

/// <summary>A node that may be drawn to verify (<see cref="VerifierSelection.IsCandidate"/>), with its owner and the stake on its hotkey.</summary>
public readonly record struct VerifierCandidate(Address Hotkey, Address Owner, Amount Stake);
