using Veritensor.Ledger.Execution;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>Transaction dispatch is a table by kind: every kind has an executor, and an unknown kind throws.</summary>
[UnitTest]
public sealed class TransactionDispatchTests
{
    [Fact]
    public void Every_transaction_kind_has_an_executor_and_the_families_split_as_documented()
    {
        var families = Enum.GetValues<TransactionKind>().ToDictionary(k => k, TransactionDispatch.FamilyOf);
        Assert.Equal(17, families.Count);
        Assert.Equal(
            [
                TransactionKind.Transfer,
                TransactionKind.AddStake,
                TransactionKind.RemoveStake,
                TransactionKind.RegisterNode,
                TransactionKind.SetDelegateTake,
            ],
            families.Where(f => f.Value == TransactionFamily.Core).Select(f => f.Key).Order()
        );
        Assert.All(Enum.GetValues<TransactionKind>().Where(k => k >= TransactionKind.PublishModel), k =>
            Assert.Equal(TransactionFamily.Inference, families[k])
        );
    }

    [Fact]
    public void A_kind_missing_from_the_table_throws_instead_of_reaching_a_default_executor()
    {
        var e = Assert.Throws<InvalidOperationException>(() => TransactionDispatch.FamilyOf((TransactionKind)200));
        Assert.Contains("No executor handles transaction kind 200", e.Message, StringComparison.Ordinal);
    }
}
