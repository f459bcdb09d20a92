using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages;

// The follow-up page (decision 11): the follow-up's states in Swedish.
public static partial class Swedish
{
    public static string Name(FollowUpState state) => state switch
    {
        FollowUpState.Scheduled => "Planerad",
        FollowUpState.Overdue => "Försenad",
        FollowUpState.Done => "Genomförd",
        FollowUpState.Cancelled => "Inställd",
        _ => state.ToString(),
    };
}
