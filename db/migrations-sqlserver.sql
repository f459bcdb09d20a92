IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [AccessEvents] (
        [Id] uniqueidentifier NOT NULL,
        [Sequence] bigint NOT NULL,
        [At] datetimeoffset NOT NULL,
        [ActorUserId] uniqueidentifier NULL,
        [Roles] nvarchar(256) NOT NULL,
        [Party] nvarchar(64) NULL,
        [MunicipalityId] uniqueidentifier NULL,
        [Action] nvarchar(64) NOT NULL,
        [CaseId] uniqueidentifier NULL,
        [EntityType] nvarchar(64) NULL,
        [EntityId] uniqueidentifier NULL,
        [Categories] nvarchar(512) NOT NULL,
        [Purpose] nvarchar(256) NULL,
        [Decision] nvarchar(64) NOT NULL,
        [CorrelationId] nvarchar(128) NOT NULL,
        [PreviousHash] nvarchar(64) NOT NULL,
        [Hash] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_AccessEvents] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [AspNetRoles] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(256) NULL,
        [NormalizedName] nvarchar(256) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [AuditCheckpoints] (
        [Id] uniqueidentifier NOT NULL,
        [Sequence] bigint NOT NULL,
        [Hash] nvarchar(64) NOT NULL,
        [At] datetimeoffset NOT NULL,
        [Kind] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_AuditCheckpoints] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [CaseNumberCounters] (
        [MunicipalityId] uniqueidentifier NOT NULL,
        [Year] int NOT NULL,
        [Last] int NOT NULL,
        CONSTRAINT [PK_CaseNumberCounters] PRIMARY KEY ([MunicipalityId], [Year])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [DataKeys] (
        [Id] uniqueidentifier NOT NULL,
        [OwnerId] uniqueidentifier NOT NULL,
        [Version] int NOT NULL,
        [WrappedKey] varbinary(max) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [RetiredAt] datetimeoffset NULL,
        CONSTRAINT [PK_DataKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [DataProtectionKeys] (
        [Id] int NOT NULL IDENTITY,
        [FriendlyName] nvarchar(200) NULL,
        [Xml] nvarchar(max) NOT NULL,
        CONSTRAINT [PK_DataProtectionKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [Municipalities] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Code] nvarchar(4) NOT NULL,
        CONSTRAINT [PK_Municipalities] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [Notifications] (
        [Id] uniqueidentifier NOT NULL,
        [UserId] uniqueidentifier NOT NULL,
        [DeadlineId] uniqueidentifier NOT NULL,
        [Step] nvarchar(64) NOT NULL,
        [CaseId] uniqueidentifier NULL,
        [ConcernReportId] uniqueidentifier NULL,
        [Text] nvarchar(300) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ReadAt] datetimeoffset NULL,
        CONSTRAINT [PK_Notifications] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [PartyUnits] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Party] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_PartyUnits] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [ReminderDeliveries] (
        [Id] uniqueidentifier NOT NULL,
        [DeadlineId] uniqueidentifier NOT NULL,
        [Step] nvarchar(64) NOT NULL,
        [Channel] nvarchar(64) NOT NULL,
        [UserId] uniqueidentifier NOT NULL,
        [Text] nvarchar(300) NOT NULL,
        [State] nvarchar(64) NOT NULL,
        [Attempts] int NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [NextAttemptAt] datetimeoffset NOT NULL,
        [SentAt] datetimeoffset NULL,
        [LastError] nvarchar(200) NULL,
        CONSTRAINT [PK_ReminderDeliveries] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [AspNetRoleClaims] (
        [Id] int NOT NULL IDENTITY,
        [RoleId] uniqueidentifier NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoleClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetRoleClaims_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [Cases] (
        [Id] uniqueidentifier NOT NULL,
        [MunicipalityId] uniqueidentifier NOT NULL,
        [CaseNumber] nvarchar(32) NOT NULL,
        [State] nvarchar(64) NOT NULL,
        [YouthPersonnummer] nvarchar(max) NOT NULL,
        [YouthGivenName] nvarchar(max) NOT NULL,
        [YouthFamilyName] nvarchar(max) NOT NULL,
        [YouthSchool] nvarchar(max) NULL,
        [YouthAddress] nvarchar(max) NULL,
        [YouthProtectedIdentity] bit NOT NULL,
        [SignalCategory] nvarchar(64) NOT NULL,
        [ProposedParties] nvarchar(max) NOT NULL,
        [CoordinatorUserId] uniqueidentifier NOT NULL,
        [OpenedAt] datetimeoffset NOT NULL,
        [ClosedAt] datetimeoffset NULL,
        [CloseReason] nvarchar(64) NULL,
        [CloseComment] nvarchar(max) NULL,
        [ReopenableUntil] datetimeoffset NULL,
        [Version] bigint NOT NULL,
        [YouthPersonnummerIndex] nvarchar(16) NULL,
        CONSTRAINT [PK_Cases] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Cases_Municipalities_MunicipalityId] FOREIGN KEY ([MunicipalityId]) REFERENCES [Municipalities] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [ConcernReports] (
        [Id] uniqueidentifier NOT NULL,
        [MunicipalityId] uniqueidentifier NOT NULL,
        [CaseId] uniqueidentifier NULL,
        [State] nvarchar(64) NOT NULL,
        [ReporterUserId] uniqueidentifier NOT NULL,
        [ReporterParty] nvarchar(64) NOT NULL,
        [ReceivedAt] datetimeoffset NOT NULL,
        [Content] nvarchar(max) NOT NULL,
        [YouthPersonnummer] nvarchar(max) NULL,
        [YouthName] nvarchar(max) NULL,
        [ConcernsViolenceAgainstChild] bit NOT NULL,
        [ResponsibleUserId] uniqueidentifier NOT NULL,
        [EscalateToUserId] uniqueidentifier NOT NULL,
        [ProtectionAssessment] nvarchar(max) NULL,
        [ImmediateProtectionNeeded] bit NULL,
        [ProtectionAssessedAt] datetimeoffset NULL,
        [DecidedAt] datetimeoffset NULL,
        [InvestigationOpenedAt] datetimeoffset NULL,
        [InvestigationDueAt] datetimeoffset NULL,
        [InvestigationClosedAt] datetimeoffset NULL,
        [ReporterFeedbackGivenAt] datetimeoffset NULL,
        [Version] bigint NOT NULL,
        CONSTRAINT [PK_ConcernReports] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ConcernReports_Municipalities_MunicipalityId] FOREIGN KEY ([MunicipalityId]) REFERENCES [Municipalities] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [AspNetUsers] (
        [Id] uniqueidentifier NOT NULL,
        [DisplayName] nvarchar(200) NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [IsDisabled] bit NOT NULL,
        [LastTotpTimeStep] bigint NOT NULL,
        [MustChangePassword] bit NOT NULL,
        [UserName] nvarchar(256) NULL,
        [NormalizedUserName] nvarchar(256) NULL,
        [Email] nvarchar(256) NULL,
        [NormalizedEmail] nvarchar(256) NULL,
        [EmailConfirmed] bit NOT NULL,
        [PasswordHash] nvarchar(max) NULL,
        [SecurityStamp] nvarchar(max) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        [PhoneNumber] nvarchar(max) NULL,
        [PhoneNumberConfirmed] bit NOT NULL,
        [TwoFactorEnabled] bit NOT NULL,
        [LockoutEnd] datetimeoffset NULL,
        [LockoutEnabled] bit NOT NULL,
        [AccessFailedCount] int NOT NULL,
        CONSTRAINT [PK_AspNetUsers] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUsers_PartyUnits_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [PartyUnits] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [UnitMunicipality] (
        [UnitId] uniqueidentifier NOT NULL,
        [MunicipalityId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_UnitMunicipality] PRIMARY KEY ([UnitId], [MunicipalityId]),
        CONSTRAINT [FK_UnitMunicipality_Municipalities_MunicipalityId] FOREIGN KEY ([MunicipalityId]) REFERENCES [Municipalities] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_UnitMunicipality_PartyUnits_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [PartyUnits] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [ActionPlans] (
        [Id] uniqueidentifier NOT NULL,
        [MeetingId] uniqueidentifier NOT NULL,
        [Goals] nvarchar(max) NOT NULL,
        [AdoptedAt] datetimeoffset NOT NULL,
        [RevisedAt] datetimeoffset NULL,
        [CaseId] uniqueidentifier NULL,
        CONSTRAINT [PK_ActionPlans] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ActionPlans_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [CaseMembers] (
        [Id] uniqueidentifier NOT NULL,
        [UserId] uniqueidentifier NOT NULL,
        [Party] nvarchar(64) NOT NULL,
        [AddedAt] datetimeoffset NOT NULL,
        [AddedByUserId] uniqueidentifier NOT NULL,
        [CaseId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_CaseMembers] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_CaseMembers_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [Consents] (
        [Id] uniqueidentifier NOT NULL,
        [State] nvarchar(64) NOT NULL,
        [Parties] nvarchar(max) NOT NULL,
        [Categories] nvarchar(max) NOT NULL,
        [ValidityMonths] int NOT NULL,
        [RequestedAt] datetimeoffset NOT NULL,
        [RequestedByUserId] uniqueidentifier NOT NULL,
        [ValidFrom] datetimeoffset NULL,
        [ValidTo] datetimeoffset NULL,
        [ScopeNarrowedAt] datetimeoffset NULL,
        [CaseId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_Consents] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Consents_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [Disclosures] (
        [Id] uniqueidentifier NOT NULL,
        [State] nvarchar(64) NOT NULL,
        [LegalBasis] nvarchar(200) NOT NULL,
        [Justification] nvarchar(max) NOT NULL,
        [Categories] nvarchar(max) NOT NULL,
        [DecisionMaker] nvarchar(max) NOT NULL,
        [ReceivingPoliceUserId] uniqueidentifier NOT NULL,
        [RecordedByUserId] uniqueidentifier NOT NULL,
        [DisclosedAt] datetimeoffset NOT NULL,
        [EndsAt] datetimeoffset NOT NULL,
        [RevokedAt] datetimeoffset NULL,
        [CaseId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_Disclosures] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Disclosures_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [FollowUps] (
        [Id] uniqueidentifier NOT NULL,
        [State] nvarchar(64) NOT NULL,
        [DueAt] datetimeoffset NOT NULL,
        [OverallAssessment] nvarchar(max) NULL,
        [DoneAt] datetimeoffset NULL,
        [CaseId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_FollowUps] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_FollowUps_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [Guardians] (
        [Id] uniqueidentifier NOT NULL,
        [GivenName] nvarchar(max) NOT NULL,
        [FamilyName] nvarchar(max) NOT NULL,
        [Personnummer] nvarchar(max) NULL,
        [Phone] nvarchar(max) NULL,
        [Email] nvarchar(max) NULL,
        [Address] nvarchar(max) NULL,
        [HasCustody] bit NOT NULL,
        [DoNotContact] bit NOT NULL,
        [CaseId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_Guardians] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Guardians_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [Interventions] (
        [Id] uniqueidentifier NOT NULL,
        [State] nvarchar(64) NOT NULL,
        [Type] nvarchar(64) NOT NULL,
        [OwnerParty] nvarchar(64) NOT NULL,
        [ResponsibleUserId] uniqueidentifier NOT NULL,
        [Goal] nvarchar(max) NOT NULL,
        [StartDate] date NULL,
        [PlannedEndDate] date NULL,
        [IsBistand] bit NOT NULL,
        [DecisionReference] nvarchar(max) NULL,
        [ProposedAt] datetimeoffset NOT NULL,
        [Outcome] nvarchar(64) NULL,
        [OutcomeComment] nvarchar(max) NULL,
        [CompletedAt] datetimeoffset NULL,
        [CaseId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_Interventions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Interventions_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [Meetings] (
        [Id] uniqueidentifier NOT NULL,
        [Kind] nvarchar(64) NOT NULL,
        [State] nvarchar(64) NOT NULL,
        [StartsAt] datetimeoffset NOT NULL,
        [Location] nvarchar(max) NULL,
        [OrganizerUserId] uniqueidentifier NOT NULL,
        [InviteeUserIds] nvarchar(max) NOT NULL,
        [AttendeeUserIds] nvarchar(max) NOT NULL,
        [AttendingGuardianIds] nvarchar(max) NOT NULL,
        [YouthAttended] bit NOT NULL,
        [Minutes] nvarchar(max) NULL,
        [HeldAt] datetimeoffset NULL,
        [MinutesApprovedAt] datetimeoffset NULL,
        [MinutesApprovedByUserId] uniqueidentifier NULL,
        [CaseId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_Meetings] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Meetings_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [Deadlines] (
        [Id] uniqueidentifier NOT NULL,
        [Kind] nvarchar(64) NOT NULL,
        [SubjectId] uniqueidentifier NOT NULL,
        [DueAt] datetimeoffset NOT NULL,
        [RemindAt] datetimeoffset NULL,
        [ResponsibleUserId] uniqueidentifier NOT NULL,
        [EscalateToUserId] uniqueidentifier NOT NULL,
        [State] nvarchar(64) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ClosedAt] datetimeoffset NULL,
        [ReminderSentAt] datetimeoffset NULL,
        [EscalatedAt] datetimeoffset NULL,
        [CaseId] uniqueidentifier NULL,
        [ConcernReportId] uniqueidentifier NULL,
        CONSTRAINT [PK_Deadlines] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Deadlines_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_Deadlines_ConcernReports_ConcernReportId] FOREIGN KEY ([ConcernReportId]) REFERENCES [ConcernReports] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [TransitionEvents] (
        [Id] uniqueidentifier NOT NULL,
        [Workflow] nvarchar(32) NOT NULL,
        [SubjectId] uniqueidentifier NOT NULL,
        [From] nvarchar(64) NOT NULL,
        [To] nvarchar(64) NOT NULL,
        [Trigger] nvarchar(64) NOT NULL,
        [Reason] nvarchar(max) NULL,
        [ActorUserId] uniqueidentifier NOT NULL,
        [At] datetimeoffset NOT NULL,
        [CaseId] uniqueidentifier NULL,
        [ConcernReportId] uniqueidentifier NULL,
        [KeyOwnerId] uniqueidentifier NOT NULL,
        [Sequence] bigint NOT NULL,
        CONSTRAINT [PK_TransitionEvents] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_TransitionEvents_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_TransitionEvents_ConcernReports_ConcernReportId] FOREIGN KEY ([ConcernReportId]) REFERENCES [ConcernReports] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [AspNetUserClaims] (
        [Id] int NOT NULL IDENTITY,
        [UserId] uniqueidentifier NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUserClaims_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [AspNetUserLogins] (
        [LoginProvider] nvarchar(450) NOT NULL,
        [ProviderKey] nvarchar(450) NOT NULL,
        [ProviderDisplayName] nvarchar(max) NULL,
        [UserId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]),
        CONSTRAINT [FK_AspNetUserLogins_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [AspNetUserRoles] (
        [UserId] uniqueidentifier NOT NULL,
        [RoleId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_AspNetUserRoles] PRIMARY KEY ([UserId], [RoleId]),
        CONSTRAINT [FK_AspNetUserRoles_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_AspNetUserRoles_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [AspNetUserTokens] (
        [UserId] uniqueidentifier NOT NULL,
        [LoginProvider] nvarchar(450) NOT NULL,
        [Name] nvarchar(450) NOT NULL,
        [Value] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]),
        CONSTRAINT [FK_AspNetUserTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [AuthSessions] (
        [Id] uniqueidentifier NOT NULL,
        [UserId] uniqueidentifier NOT NULL,
        [MultiFactor] bit NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [RevokedAt] datetimeoffset NULL,
        [RevokedReason] nvarchar(64) NULL,
        CONSTRAINT [PK_AuthSessions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AuthSessions_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [RoleGrants] (
        [Id] uniqueidentifier NOT NULL,
        [UserId] uniqueidentifier NOT NULL,
        [Roles] nvarchar(256) NOT NULL,
        [RequestedByUserId] uniqueidentifier NOT NULL,
        [RequestedAt] datetimeoffset NOT NULL,
        [State] nvarchar(64) NOT NULL,
        [DecidedByUserId] uniqueidentifier NULL,
        [DecidedAt] datetimeoffset NULL,
        CONSTRAINT [PK_RoleGrants] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_RoleGrants_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [ConsentAnswers] (
        [Id] uniqueidentifier NOT NULL,
        [SignatoryKind] nvarchar(64) NOT NULL,
        [GuardianId] uniqueidentifier NULL,
        [Given] bit NOT NULL,
        [Form] nvarchar(64) NOT NULL,
        [DocumentRef] nvarchar(max) NULL,
        [VerbalRecordedBy] nvarchar(max) NULL,
        [ObtainedBy] nvarchar(64) NOT NULL,
        [RecordedByUserId] uniqueidentifier NOT NULL,
        [AnsweredAt] datetimeoffset NOT NULL,
        [ConsentId] uniqueidentifier NULL,
        [KeyOwnerId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_ConsentAnswers] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ConsentAnswers_Consents_ConsentId] FOREIGN KEY ([ConsentId]) REFERENCES [Consents] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [FollowUpAssessments] (
        [Id] uniqueidentifier NOT NULL,
        [InterventionId] uniqueidentifier NOT NULL,
        [Assessment] nvarchar(max) NOT NULL,
        [FollowUpId] uniqueidentifier NULL,
        [KeyOwnerId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_FollowUpAssessments] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_FollowUpAssessments_FollowUps_FollowUpId] FOREIGN KEY ([FollowUpId]) REFERENCES [FollowUps] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE TABLE [RefreshTokens] (
        [Id] uniqueidentifier NOT NULL,
        [SessionId] uniqueidentifier NOT NULL,
        [TokenHash] nvarchar(64) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ExpiresAt] datetimeoffset NOT NULL,
        [ConsumedAt] datetimeoffset NULL,
        CONSTRAINT [PK_RefreshTokens] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_RefreshTokens_AuthSessions_SessionId] FOREIGN KEY ([SessionId]) REFERENCES [AuthSessions] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_AccessEvents_ActorUserId_At] ON [AccessEvents] ([ActorUserId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_AccessEvents_At] ON [AccessEvents] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_AccessEvents_CaseId_At] ON [AccessEvents] ([CaseId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_AccessEvents_Sequence] ON [AccessEvents] ([Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_ActionPlans_CaseId] ON [ActionPlans] ([CaseId]) WHERE [CaseId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_AspNetRoleClaims_RoleId] ON [AspNetRoleClaims] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [RoleNameIndex] ON [AspNetRoles] ([NormalizedName]) WHERE [NormalizedName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserClaims_UserId] ON [AspNetUserClaims] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserLogins_UserId] ON [AspNetUserLogins] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserRoles_RoleId] ON [AspNetUserRoles] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_AspNetUsers_UnitId] ON [AspNetUsers] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_AuditCheckpoints_Sequence] ON [AuditCheckpoints] ([Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_AuthSessions_UserId] ON [AuthSessions] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_CaseMembers_CaseId] ON [CaseMembers] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_CaseMembers_UserId_CaseId] ON [CaseMembers] ([UserId], [CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Cases_MunicipalityId_CaseNumber] ON [Cases] ([MunicipalityId], [CaseNumber]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Cases_MunicipalityId_OpenedAt] ON [Cases] ([MunicipalityId], [OpenedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Cases_MunicipalityId_State] ON [Cases] ([MunicipalityId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Cases_MunicipalityId_YouthPersonnummerIndex] ON [Cases] ([MunicipalityId], [YouthPersonnummerIndex]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_ConcernReports_CaseId] ON [ConcernReports] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_ConcernReports_MunicipalityId_State] ON [ConcernReports] ([MunicipalityId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_ConcernReports_ReporterUserId] ON [ConcernReports] ([ReporterUserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_ConsentAnswers_ConsentId] ON [ConsentAnswers] ([ConsentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Consents_CaseId_State] ON [Consents] ([CaseId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_DataKeys_OwnerId_Version] ON [DataKeys] ([OwnerId], [Version]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Deadlines_CaseId] ON [Deadlines] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Deadlines_ConcernReportId] ON [Deadlines] ([ConcernReportId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Deadlines_ResponsibleUserId_State_DueAt] ON [Deadlines] ([ResponsibleUserId], [State], [DueAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Deadlines_State_DueAt] ON [Deadlines] ([State], [DueAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Disclosures_CaseId] ON [Disclosures] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Disclosures_ReceivingPoliceUserId] ON [Disclosures] ([ReceivingPoliceUserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_FollowUpAssessments_FollowUpId] ON [FollowUpAssessments] ([FollowUpId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_FollowUps_CaseId] ON [FollowUps] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Guardians_CaseId] ON [Guardians] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Interventions_CaseId] ON [Interventions] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Meetings_CaseId] ON [Meetings] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Municipalities_Code] ON [Municipalities] ([Code]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_Notifications_UserId_CreatedAt] ON [Notifications] ([UserId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_RefreshTokens_SessionId] ON [RefreshTokens] ([SessionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_RefreshTokens_TokenHash] ON [RefreshTokens] ([TokenHash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ReminderDeliveries_DeadlineId_Step_Channel] ON [ReminderDeliveries] ([DeadlineId], [Step], [Channel]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_ReminderDeliveries_State_NextAttemptAt] ON [ReminderDeliveries] ([State], [NextAttemptAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_RoleGrants_State] ON [RoleGrants] ([State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_RoleGrants_UserId_State] ON [RoleGrants] ([UserId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_TransitionEvents_CaseId] ON [TransitionEvents] ([CaseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_TransitionEvents_ConcernReportId] ON [TransitionEvents] ([ConcernReportId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    CREATE INDEX [IX_UnitMunicipality_MunicipalityId] ON [UnitMunicipality] ([MunicipalityId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204204103_SqlServerInitial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204204103_SqlServerInitial', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    CREATE TABLE [OpenIddictApplications] (
        [Id] uniqueidentifier NOT NULL,
        [ApplicationType] nvarchar(50) NULL,
        [ClientId] nvarchar(100) NULL,
        [ClientSecret] nvarchar(max) NULL,
        [ClientType] nvarchar(50) NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [ConsentType] nvarchar(50) NULL,
        [DisplayName] nvarchar(max) NULL,
        [DisplayNames] nvarchar(max) NULL,
        [JsonWebKeySet] nvarchar(max) NULL,
        [Permissions] nvarchar(max) NULL,
        [PostLogoutRedirectUris] nvarchar(max) NULL,
        [Properties] nvarchar(max) NULL,
        [RedirectUris] nvarchar(max) NULL,
        [Requirements] nvarchar(max) NULL,
        [Settings] nvarchar(max) NULL,
        CONSTRAINT [PK_OpenIddictApplications] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    CREATE TABLE [OpenIddictScopes] (
        [Id] uniqueidentifier NOT NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [Description] nvarchar(max) NULL,
        [Descriptions] nvarchar(max) NULL,
        [DisplayName] nvarchar(max) NULL,
        [DisplayNames] nvarchar(max) NULL,
        [Name] nvarchar(200) NULL,
        [Properties] nvarchar(max) NULL,
        [Resources] nvarchar(max) NULL,
        CONSTRAINT [PK_OpenIddictScopes] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    CREATE TABLE [OpenIddictAuthorizations] (
        [Id] uniqueidentifier NOT NULL,
        [ApplicationId] uniqueidentifier NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [CreationDate] datetime2 NULL,
        [Properties] nvarchar(max) NULL,
        [Scopes] nvarchar(max) NULL,
        [Status] nvarchar(50) NULL,
        [Subject] nvarchar(400) NULL,
        [Type] nvarchar(50) NULL,
        CONSTRAINT [PK_OpenIddictAuthorizations] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_OpenIddictAuthorizations_OpenIddictApplications_ApplicationId] FOREIGN KEY ([ApplicationId]) REFERENCES [OpenIddictApplications] ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    CREATE TABLE [OpenIddictTokens] (
        [Id] uniqueidentifier NOT NULL,
        [ApplicationId] uniqueidentifier NULL,
        [AuthorizationId] uniqueidentifier NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [CreationDate] datetime2 NULL,
        [ExpirationDate] datetime2 NULL,
        [Payload] nvarchar(max) NULL,
        [Properties] nvarchar(max) NULL,
        [RedemptionDate] datetime2 NULL,
        [ReferenceId] nvarchar(100) NULL,
        [Status] nvarchar(50) NULL,
        [Subject] nvarchar(400) NULL,
        [Type] nvarchar(150) NULL,
        CONSTRAINT [PK_OpenIddictTokens] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_OpenIddictTokens_OpenIddictApplications_ApplicationId] FOREIGN KEY ([ApplicationId]) REFERENCES [OpenIddictApplications] ([Id]),
        CONSTRAINT [FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId] FOREIGN KEY ([AuthorizationId]) REFERENCES [OpenIddictAuthorizations] ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictApplications_ClientId] ON [OpenIddictApplications] ([ClientId]) WHERE [ClientId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    CREATE INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type] ON [OpenIddictAuthorizations] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictScopes_Name] ON [OpenIddictScopes] ([Name]) WHERE [Name] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    CREATE INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type] ON [OpenIddictTokens] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    CREATE INDEX [IX_OpenIddictTokens_AuthorizationId] ON [OpenIddictTokens] ([AuthorizationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictTokens_ReferenceId] ON [OpenIddictTokens] ([ReferenceId]) WHERE [ReferenceId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204215728_OpenIddict'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204215728_OpenIddict', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204220059_StatisticsAgeBand'
)
BEGIN
    ALTER TABLE [Cases] ADD [AgeBandAtOpening] nvarchar(64) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204220059_StatisticsAgeBand'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204220059_StatisticsAgeBand', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204220254_MembershipHistory'
)
BEGIN
    CREATE TABLE [CaseMembershipPeriods] (
        [Id] uniqueidentifier NOT NULL,
        [UserId] uniqueidentifier NOT NULL,
        [Party] nvarchar(64) NOT NULL,
        [From] datetimeoffset NOT NULL,
        [AddedByUserId] uniqueidentifier NOT NULL,
        [Until] datetimeoffset NULL,
        [RemovedByUserId] uniqueidentifier NULL,
        [CaseId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_CaseMembershipPeriods] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_CaseMembershipPeriods_Cases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [Cases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204220254_MembershipHistory'
)
BEGIN
    CREATE INDEX [IX_CaseMembershipPeriods_CaseId_UserId_From] ON [CaseMembershipPeriods] ([CaseId], [UserId], [From]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204220254_MembershipHistory'
)
BEGIN
    INSERT INTO [CaseMembershipPeriods] ([Id], [UserId], [Party], [From], [AddedByUserId], [CaseId]) SELECT [Id], [UserId], [Party], [AddedAt], [AddedByUserId], [CaseId] FROM [CaseMembers]
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204220254_MembershipHistory'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204220254_MembershipHistory', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204234222_StatisticsIndex'
)
BEGIN
    CREATE INDEX [IX_TransitionEvents_Workflow_To_At] ON [TransitionEvents] ([Workflow], [To], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204234222_StatisticsIndex'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204234222_StatisticsIndex', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204234631_FederatedIdentity'
)
BEGIN
    ALTER TABLE [AspNetUsers] ADD [EmployeeNumber] nvarchar(64) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204234631_FederatedIdentity'
)
BEGIN
    ALTER TABLE [AspNetUsers] ADD [HsaId] nvarchar(64) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204234631_FederatedIdentity'
)
BEGIN
    CREATE INDEX [IX_AspNetUsers_EmployeeNumber] ON [AspNetUsers] ([EmployeeNumber]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204234631_FederatedIdentity'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_AspNetUsers_HsaId] ON [AspNetUsers] ([HsaId]) WHERE [HsaId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204234631_FederatedIdentity'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204234631_FederatedIdentity', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204235046_EscalationRecipients'
)
BEGIN
    DROP INDEX [IX_ReminderDeliveries_DeadlineId_Step_Channel] ON [ReminderDeliveries];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204235046_EscalationRecipients'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ReminderDeliveries_DeadlineId_Step_Channel_UserId] ON [ReminderDeliveries] ([DeadlineId], [Step], [Channel], [UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204235046_EscalationRecipients'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204235046_EscalationRecipients', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    ALTER TABLE [AspNetUserTokens] DROP CONSTRAINT [PK_AspNetUserTokens];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    ALTER TABLE [AspNetUserLogins] DROP CONSTRAINT [PK_AspNetUserLogins];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_TransitionEvents_Workflow_To_At] ON [TransitionEvents];
    DECLARE @var nvarchar(max);
    SELECT @var = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[TransitionEvents]') AND [c].[name] = N'Workflow');
    IF @var IS NOT NULL EXEC(N'ALTER TABLE [TransitionEvents] DROP CONSTRAINT ' + @var + ';');
    ALTER TABLE [TransitionEvents] ALTER COLUMN [Workflow] nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE INDEX [IX_TransitionEvents_Workflow_To_At] ON [TransitionEvents] ([Workflow], [To], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_TransitionEvents_Workflow_To_At] ON [TransitionEvents];
    DECLARE @var1 nvarchar(max);
    SELECT @var1 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[TransitionEvents]') AND [c].[name] = N'To');
    IF @var1 IS NOT NULL EXEC(N'ALTER TABLE [TransitionEvents] DROP CONSTRAINT ' + @var1 + ';');
    ALTER TABLE [TransitionEvents] ALTER COLUMN [To] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE INDEX [IX_TransitionEvents_Workflow_To_At] ON [TransitionEvents] ([Workflow], [To], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_RoleGrants_State] ON [RoleGrants];
    DROP INDEX [IX_RoleGrants_UserId_State] ON [RoleGrants];
    DECLARE @var2 nvarchar(max);
    SELECT @var2 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[RoleGrants]') AND [c].[name] = N'State');
    IF @var2 IS NOT NULL EXEC(N'ALTER TABLE [RoleGrants] DROP CONSTRAINT ' + @var2 + ';');
    ALTER TABLE [RoleGrants] ALTER COLUMN [State] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE INDEX [IX_RoleGrants_State] ON [RoleGrants] ([State]);
    CREATE INDEX [IX_RoleGrants_UserId_State] ON [RoleGrants] ([UserId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_ReminderDeliveries_DeadlineId_Step_Channel_UserId] ON [ReminderDeliveries];
    DECLARE @var3 nvarchar(max);
    SELECT @var3 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[ReminderDeliveries]') AND [c].[name] = N'Step');
    IF @var3 IS NOT NULL EXEC(N'ALTER TABLE [ReminderDeliveries] DROP CONSTRAINT ' + @var3 + ';');
    ALTER TABLE [ReminderDeliveries] ALTER COLUMN [Step] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE UNIQUE INDEX [IX_ReminderDeliveries_DeadlineId_Step_Channel_UserId] ON [ReminderDeliveries] ([DeadlineId], [Step], [Channel], [UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_ReminderDeliveries_State_NextAttemptAt] ON [ReminderDeliveries];
    DECLARE @var4 nvarchar(max);
    SELECT @var4 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[ReminderDeliveries]') AND [c].[name] = N'State');
    IF @var4 IS NOT NULL EXEC(N'ALTER TABLE [ReminderDeliveries] DROP CONSTRAINT ' + @var4 + ';');
    ALTER TABLE [ReminderDeliveries] ALTER COLUMN [State] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE INDEX [IX_ReminderDeliveries_State_NextAttemptAt] ON [ReminderDeliveries] ([State], [NextAttemptAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_ReminderDeliveries_DeadlineId_Step_Channel_UserId] ON [ReminderDeliveries];
    DECLARE @var5 nvarchar(max);
    SELECT @var5 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[ReminderDeliveries]') AND [c].[name] = N'Channel');
    IF @var5 IS NOT NULL EXEC(N'ALTER TABLE [ReminderDeliveries] DROP CONSTRAINT ' + @var5 + ';');
    ALTER TABLE [ReminderDeliveries] ALTER COLUMN [Channel] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE UNIQUE INDEX [IX_ReminderDeliveries_DeadlineId_Step_Channel_UserId] ON [ReminderDeliveries] ([DeadlineId], [Step], [Channel], [UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_RefreshTokens_TokenHash] ON [RefreshTokens];
    DECLARE @var6 nvarchar(max);
    SELECT @var6 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[RefreshTokens]') AND [c].[name] = N'TokenHash');
    IF @var6 IS NOT NULL EXEC(N'ALTER TABLE [RefreshTokens] DROP CONSTRAINT ' + @var6 + ';');
    ALTER TABLE [RefreshTokens] ALTER COLUMN [TokenHash] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE UNIQUE INDEX [IX_RefreshTokens_TokenHash] ON [RefreshTokens] ([TokenHash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type] ON [OpenIddictTokens];
    DECLARE @var7 nvarchar(max);
    SELECT @var7 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OpenIddictTokens]') AND [c].[name] = N'Type');
    IF @var7 IS NOT NULL EXEC(N'ALTER TABLE [OpenIddictTokens] DROP CONSTRAINT ' + @var7 + ';');
    ALTER TABLE [OpenIddictTokens] ALTER COLUMN [Type] nvarchar(150) COLLATE Latin1_General_100_BIN2 NULL;
    CREATE INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type] ON [OpenIddictTokens] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type] ON [OpenIddictTokens];
    DECLARE @var8 nvarchar(max);
    SELECT @var8 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OpenIddictTokens]') AND [c].[name] = N'Subject');
    IF @var8 IS NOT NULL EXEC(N'ALTER TABLE [OpenIddictTokens] DROP CONSTRAINT ' + @var8 + ';');
    ALTER TABLE [OpenIddictTokens] ALTER COLUMN [Subject] nvarchar(400) COLLATE Latin1_General_100_BIN2 NULL;
    CREATE INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type] ON [OpenIddictTokens] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type] ON [OpenIddictTokens];
    DECLARE @var9 nvarchar(max);
    SELECT @var9 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OpenIddictTokens]') AND [c].[name] = N'Status');
    IF @var9 IS NOT NULL EXEC(N'ALTER TABLE [OpenIddictTokens] DROP CONSTRAINT ' + @var9 + ';');
    ALTER TABLE [OpenIddictTokens] ALTER COLUMN [Status] nvarchar(50) COLLATE Latin1_General_100_BIN2 NULL;
    CREATE INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type] ON [OpenIddictTokens] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_OpenIddictTokens_ReferenceId] ON [OpenIddictTokens];
    DECLARE @var10 nvarchar(max);
    SELECT @var10 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OpenIddictTokens]') AND [c].[name] = N'ReferenceId');
    IF @var10 IS NOT NULL EXEC(N'ALTER TABLE [OpenIddictTokens] DROP CONSTRAINT ' + @var10 + ';');
    ALTER TABLE [OpenIddictTokens] ALTER COLUMN [ReferenceId] nvarchar(100) COLLATE Latin1_General_100_BIN2 NULL;
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictTokens_ReferenceId] ON [OpenIddictTokens] ([ReferenceId]) WHERE [ReferenceId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_OpenIddictScopes_Name] ON [OpenIddictScopes];
    DECLARE @var11 nvarchar(max);
    SELECT @var11 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OpenIddictScopes]') AND [c].[name] = N'Name');
    IF @var11 IS NOT NULL EXEC(N'ALTER TABLE [OpenIddictScopes] DROP CONSTRAINT ' + @var11 + ';');
    ALTER TABLE [OpenIddictScopes] ALTER COLUMN [Name] nvarchar(200) COLLATE Latin1_General_100_BIN2 NULL;
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictScopes_Name] ON [OpenIddictScopes] ([Name]) WHERE [Name] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type] ON [OpenIddictAuthorizations];
    DECLARE @var12 nvarchar(max);
    SELECT @var12 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OpenIddictAuthorizations]') AND [c].[name] = N'Type');
    IF @var12 IS NOT NULL EXEC(N'ALTER TABLE [OpenIddictAuthorizations] DROP CONSTRAINT ' + @var12 + ';');
    ALTER TABLE [OpenIddictAuthorizations] ALTER COLUMN [Type] nvarchar(50) COLLATE Latin1_General_100_BIN2 NULL;
    CREATE INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type] ON [OpenIddictAuthorizations] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type] ON [OpenIddictAuthorizations];
    DECLARE @var13 nvarchar(max);
    SELECT @var13 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OpenIddictAuthorizations]') AND [c].[name] = N'Subject');
    IF @var13 IS NOT NULL EXEC(N'ALTER TABLE [OpenIddictAuthorizations] DROP CONSTRAINT ' + @var13 + ';');
    ALTER TABLE [OpenIddictAuthorizations] ALTER COLUMN [Subject] nvarchar(400) COLLATE Latin1_General_100_BIN2 NULL;
    CREATE INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type] ON [OpenIddictAuthorizations] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type] ON [OpenIddictAuthorizations];
    DECLARE @var14 nvarchar(max);
    SELECT @var14 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OpenIddictAuthorizations]') AND [c].[name] = N'Status');
    IF @var14 IS NOT NULL EXEC(N'ALTER TABLE [OpenIddictAuthorizations] DROP CONSTRAINT ' + @var14 + ';');
    ALTER TABLE [OpenIddictAuthorizations] ALTER COLUMN [Status] nvarchar(50) COLLATE Latin1_General_100_BIN2 NULL;
    CREATE INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type] ON [OpenIddictAuthorizations] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_OpenIddictApplications_ClientId] ON [OpenIddictApplications];
    DECLARE @var15 nvarchar(max);
    SELECT @var15 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OpenIddictApplications]') AND [c].[name] = N'ClientId');
    IF @var15 IS NOT NULL EXEC(N'ALTER TABLE [OpenIddictApplications] DROP CONSTRAINT ' + @var15 + ';');
    ALTER TABLE [OpenIddictApplications] ALTER COLUMN [ClientId] nvarchar(100) COLLATE Latin1_General_100_BIN2 NULL;
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictApplications_ClientId] ON [OpenIddictApplications] ([ClientId]) WHERE [ClientId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_Municipalities_Code] ON [Municipalities];
    DECLARE @var16 nvarchar(max);
    SELECT @var16 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Municipalities]') AND [c].[name] = N'Code');
    IF @var16 IS NOT NULL EXEC(N'ALTER TABLE [Municipalities] DROP CONSTRAINT ' + @var16 + ';');
    ALTER TABLE [Municipalities] ALTER COLUMN [Code] nvarchar(4) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE UNIQUE INDEX [IX_Municipalities_Code] ON [Municipalities] ([Code]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_Deadlines_ResponsibleUserId_State_DueAt] ON [Deadlines];
    DROP INDEX [IX_Deadlines_State_DueAt] ON [Deadlines];
    DECLARE @var17 nvarchar(max);
    SELECT @var17 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Deadlines]') AND [c].[name] = N'State');
    IF @var17 IS NOT NULL EXEC(N'ALTER TABLE [Deadlines] DROP CONSTRAINT ' + @var17 + ';');
    ALTER TABLE [Deadlines] ALTER COLUMN [State] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE INDEX [IX_Deadlines_ResponsibleUserId_State_DueAt] ON [Deadlines] ([ResponsibleUserId], [State], [DueAt]);
    CREATE INDEX [IX_Deadlines_State_DueAt] ON [Deadlines] ([State], [DueAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_Consents_CaseId_State] ON [Consents];
    DECLARE @var18 nvarchar(max);
    SELECT @var18 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Consents]') AND [c].[name] = N'State');
    IF @var18 IS NOT NULL EXEC(N'ALTER TABLE [Consents] DROP CONSTRAINT ' + @var18 + ';');
    ALTER TABLE [Consents] ALTER COLUMN [State] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE INDEX [IX_Consents_CaseId_State] ON [Consents] ([CaseId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_ConcernReports_MunicipalityId_State] ON [ConcernReports];
    DECLARE @var19 nvarchar(max);
    SELECT @var19 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[ConcernReports]') AND [c].[name] = N'State');
    IF @var19 IS NOT NULL EXEC(N'ALTER TABLE [ConcernReports] DROP CONSTRAINT ' + @var19 + ';');
    ALTER TABLE [ConcernReports] ALTER COLUMN [State] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE INDEX [IX_ConcernReports_MunicipalityId_State] ON [ConcernReports] ([MunicipalityId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_Cases_MunicipalityId_YouthPersonnummerIndex] ON [Cases];
    DECLARE @var20 nvarchar(max);
    SELECT @var20 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Cases]') AND [c].[name] = N'YouthPersonnummerIndex');
    IF @var20 IS NOT NULL EXEC(N'ALTER TABLE [Cases] DROP CONSTRAINT ' + @var20 + ';');
    ALTER TABLE [Cases] ALTER COLUMN [YouthPersonnummerIndex] nvarchar(16) COLLATE Latin1_General_100_BIN2 NULL;
    CREATE INDEX [IX_Cases_MunicipalityId_YouthPersonnummerIndex] ON [Cases] ([MunicipalityId], [YouthPersonnummerIndex]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_Cases_MunicipalityId_State] ON [Cases];
    DECLARE @var21 nvarchar(max);
    SELECT @var21 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Cases]') AND [c].[name] = N'State');
    IF @var21 IS NOT NULL EXEC(N'ALTER TABLE [Cases] DROP CONSTRAINT ' + @var21 + ';');
    ALTER TABLE [Cases] ALTER COLUMN [State] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE INDEX [IX_Cases_MunicipalityId_State] ON [Cases] ([MunicipalityId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_Cases_MunicipalityId_CaseNumber] ON [Cases];
    DECLARE @var22 nvarchar(max);
    SELECT @var22 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Cases]') AND [c].[name] = N'CaseNumber');
    IF @var22 IS NOT NULL EXEC(N'ALTER TABLE [Cases] DROP CONSTRAINT ' + @var22 + ';');
    ALTER TABLE [Cases] ALTER COLUMN [CaseNumber] nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL;
    CREATE UNIQUE INDEX [IX_Cases_MunicipalityId_CaseNumber] ON [Cases] ([MunicipalityId], [CaseNumber]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DECLARE @var23 nvarchar(max);
    SELECT @var23 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[AspNetUserTokens]') AND [c].[name] = N'Name');
    IF @var23 IS NOT NULL EXEC(N'ALTER TABLE [AspNetUserTokens] DROP CONSTRAINT ' + @var23 + ';');
    ALTER TABLE [AspNetUserTokens] ALTER COLUMN [Name] nvarchar(450) COLLATE Latin1_General_100_BIN2 NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DECLARE @var24 nvarchar(max);
    SELECT @var24 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[AspNetUserTokens]') AND [c].[name] = N'LoginProvider');
    IF @var24 IS NOT NULL EXEC(N'ALTER TABLE [AspNetUserTokens] DROP CONSTRAINT ' + @var24 + ';');
    ALTER TABLE [AspNetUserTokens] ALTER COLUMN [LoginProvider] nvarchar(450) COLLATE Latin1_General_100_BIN2 NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [UserNameIndex] ON [AspNetUsers];
    DECLARE @var25 nvarchar(max);
    SELECT @var25 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[AspNetUsers]') AND [c].[name] = N'NormalizedUserName');
    IF @var25 IS NOT NULL EXEC(N'ALTER TABLE [AspNetUsers] DROP CONSTRAINT ' + @var25 + ';');
    ALTER TABLE [AspNetUsers] ALTER COLUMN [NormalizedUserName] nvarchar(256) COLLATE Latin1_General_100_BIN2 NULL;
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [EmailIndex] ON [AspNetUsers];
    DECLARE @var26 nvarchar(max);
    SELECT @var26 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[AspNetUsers]') AND [c].[name] = N'NormalizedEmail');
    IF @var26 IS NOT NULL EXEC(N'ALTER TABLE [AspNetUsers] DROP CONSTRAINT ' + @var26 + ';');
    ALTER TABLE [AspNetUsers] ALTER COLUMN [NormalizedEmail] nvarchar(256) COLLATE Latin1_General_100_BIN2 NULL;
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_AspNetUsers_HsaId] ON [AspNetUsers];
    DECLARE @var27 nvarchar(max);
    SELECT @var27 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[AspNetUsers]') AND [c].[name] = N'HsaId');
    IF @var27 IS NOT NULL EXEC(N'ALTER TABLE [AspNetUsers] DROP CONSTRAINT ' + @var27 + ';');
    ALTER TABLE [AspNetUsers] ALTER COLUMN [HsaId] nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL;
    EXEC(N'CREATE UNIQUE INDEX [IX_AspNetUsers_HsaId] ON [AspNetUsers] ([HsaId]) WHERE [HsaId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [IX_AspNetUsers_EmployeeNumber] ON [AspNetUsers];
    DECLARE @var28 nvarchar(max);
    SELECT @var28 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[AspNetUsers]') AND [c].[name] = N'EmployeeNumber');
    IF @var28 IS NOT NULL EXEC(N'ALTER TABLE [AspNetUsers] DROP CONSTRAINT ' + @var28 + ';');
    ALTER TABLE [AspNetUsers] ALTER COLUMN [EmployeeNumber] nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL;
    CREATE INDEX [IX_AspNetUsers_EmployeeNumber] ON [AspNetUsers] ([EmployeeNumber]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DECLARE @var29 nvarchar(max);
    SELECT @var29 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[AspNetUserLogins]') AND [c].[name] = N'ProviderKey');
    IF @var29 IS NOT NULL EXEC(N'ALTER TABLE [AspNetUserLogins] DROP CONSTRAINT ' + @var29 + ';');
    ALTER TABLE [AspNetUserLogins] ALTER COLUMN [ProviderKey] nvarchar(450) COLLATE Latin1_General_100_BIN2 NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DECLARE @var30 nvarchar(max);
    SELECT @var30 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[AspNetUserLogins]') AND [c].[name] = N'LoginProvider');
    IF @var30 IS NOT NULL EXEC(N'ALTER TABLE [AspNetUserLogins] DROP CONSTRAINT ' + @var30 + ';');
    ALTER TABLE [AspNetUserLogins] ALTER COLUMN [LoginProvider] nvarchar(450) COLLATE Latin1_General_100_BIN2 NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    DROP INDEX [RoleNameIndex] ON [AspNetRoles];
    DECLARE @var31 nvarchar(max);
    SELECT @var31 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[AspNetRoles]') AND [c].[name] = N'NormalizedName');
    IF @var31 IS NOT NULL EXEC(N'ALTER TABLE [AspNetRoles] DROP CONSTRAINT ' + @var31 + ';');
    ALTER TABLE [AspNetRoles] ALTER COLUMN [NormalizedName] nvarchar(256) COLLATE Latin1_General_100_BIN2 NULL;
    EXEC(N'CREATE UNIQUE INDEX [RoleNameIndex] ON [AspNetRoles] ([NormalizedName]) WHERE [NormalizedName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    ALTER TABLE [AspNetUserTokens] ADD CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    ALTER TABLE [AspNetUserLogins] ADD CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205024825_SqlServerCollations'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261205024825_SqlServerCollations', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205025344_StatisticsSpeed'
)
BEGIN
    DROP INDEX [IX_TransitionEvents_Workflow_To_At] ON [TransitionEvents];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205025344_StatisticsSpeed'
)
BEGIN
    DROP INDEX [IX_Cases_MunicipalityId_OpenedAt] ON [Cases];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205025344_StatisticsSpeed'
)
BEGIN
    CREATE INDEX [IX_TransitionEvents_Workflow_To_At_CaseId_SubjectId] ON [TransitionEvents] ([Workflow], [To], [At], [CaseId], [SubjectId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205025344_StatisticsSpeed'
)
BEGIN
    CREATE INDEX [IX_Cases_MunicipalityId_OpenedAt_Id] ON [Cases] ([MunicipalityId], [OpenedAt], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205025344_StatisticsSpeed'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261205025344_StatisticsSpeed', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205030043_RetireOwnTokens'
)
BEGIN
    DROP TABLE [RefreshTokens];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205030043_RetireOwnTokens'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261205030043_RetireOwnTokens', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205055913_StatisticsSpeedTwo'
)
BEGIN
    DECLARE @var32 nvarchar(max);
    SELECT @var32 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Meetings]') AND [c].[name] = N'Kind');
    IF @var32 IS NOT NULL EXEC(N'ALTER TABLE [Meetings] DROP CONSTRAINT ' + @var32 + ';');
    ALTER TABLE [Meetings] ALTER COLUMN [Kind] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205055913_StatisticsSpeedTwo'
)
BEGIN
    CREATE INDEX [IX_Meetings_HeldAt_CaseId_Kind] ON [Meetings] ([HeldAt], [CaseId], [Kind]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205055913_StatisticsSpeedTwo'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261205055913_StatisticsSpeedTwo', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205055923_TokenSession'
)
BEGIN
    ALTER TABLE [OpenIddictTokens] ADD [ApiSecurityStamp] nvarchar(max) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205055923_TokenSession'
)
BEGIN
    ALTER TABLE [OpenIddictTokens] ADD [ApiSessionId] uniqueidentifier NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205055923_TokenSession'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261205055923_TokenSession', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205091816_AuditChainSpeed'
)
BEGIN
    DROP INDEX [IX_AuditCheckpoints_Sequence] ON [AuditCheckpoints];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205091816_AuditChainSpeed'
)
BEGIN
    DROP INDEX [IX_AccessEvents_Sequence] ON [AccessEvents];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205091816_AuditChainSpeed'
)
BEGIN
    ALTER TABLE [AuditCheckpoints] ADD [Stripe] smallint NOT NULL DEFAULT CAST(0 AS smallint);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205091816_AuditChainSpeed'
)
BEGIN
    ALTER TABLE [AccessEvents] ADD [Stripe] smallint NOT NULL DEFAULT CAST(0 AS smallint);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205091816_AuditChainSpeed'
)
BEGIN
    CREATE INDEX [IX_AuditCheckpoints_Stripe_Sequence] ON [AuditCheckpoints] ([Stripe], [Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205091816_AuditChainSpeed'
)
BEGIN
    CREATE UNIQUE INDEX [IX_AccessEvents_Stripe_Sequence] ON [AccessEvents] ([Stripe], [Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261205091816_AuditChainSpeed'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261205091816_AuditChainSpeed', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206224135_YouthComplexProperty'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261206224135_YouthComplexProperty', N'10.0.15');
END;

COMMIT;
GO

