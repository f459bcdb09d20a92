using SspfSamordning.Domain.Cases;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

/// <summary>Issue 16: the access rules the views used to decide are stated once in the domain (docs/access-rules.md).</summary>
public sealed class AccessRuleTests
{
    [Theory]
    [InlineData(Party.Skola, InformationCategory.School)]
    [InlineData(Party.Socialtjanst, InformationCategory.SocialServicesSspfNotes)]
    [InlineData(Party.Polis, InformationCategory.Police)]
    [InlineData(Party.Fritid, InformationCategory.Basic)]
    [InlineData(Party.Region, InformationCategory.Basic)]
    [InlineData(Party.Annan, InformationCategory.Basic)]
    public void OwnCategory_OfEachParty_IsTheCategoryOfWhatItOwns(Party party, InformationCategory expected) =>
        Assert.Equal(expected, RecordCategories.OfParty(party));

    [Fact]
    public void ProtectedIdentity_IsMaskedForEveryoneButSocialServices()
    {
        var protectedYouth = Youth.Create(TestPersonnummer.For(Today.AddYears(-14)), "Kim", "Andersson", Today, protectedIdentity: true);
        var ordinary = Youth.Create(TestPersonnummer.For(Today.AddYears(-14)), "Kim", "Andersson", Today);

        Assert.True(protectedYouth.IsMaskedFor(socialServices: false));
        Assert.False(protectedYouth.IsMaskedFor(socialServices: true));
        Assert.False(ordinary.IsMaskedFor(socialServices: false));
    }
}
