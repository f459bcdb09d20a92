CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "AccessEvents" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AccessEvents" PRIMARY KEY,
    "Sequence" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "ActorUserId" TEXT NULL,
    "Roles" TEXT NOT NULL,
    "Party" TEXT NULL,
    "MunicipalityId" TEXT NULL,
    "Action" TEXT NOT NULL,
    "CaseId" TEXT NULL,
    "EntityType" TEXT NULL,
    "EntityId" TEXT NULL,
    "Categories" TEXT NOT NULL,
    "Purpose" TEXT NULL,
    "Decision" TEXT NOT NULL,
    "CorrelationId" TEXT NOT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL
);

CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);

CREATE TABLE "CaseNumberCounters" (
    "MunicipalityId" TEXT NOT NULL,
    "Year" INTEGER NOT NULL,
    "Last" INTEGER NOT NULL,
    CONSTRAINT "PK_CaseNumberCounters" PRIMARY KEY ("MunicipalityId", "Year")
);

CREATE TABLE "DataKeys" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_DataKeys" PRIMARY KEY,
    "OwnerId" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "WrappedKey" BLOB NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RetiredAt" INTEGER NULL
);

CREATE TABLE "DataProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NOT NULL
);

CREATE TABLE "Municipalities" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Municipalities" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Code" TEXT NOT NULL
);

CREATE TABLE "PartyUnits" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PartyUnits" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Party" TEXT NOT NULL
);

CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Cases" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Cases" PRIMARY KEY,
    "MunicipalityId" TEXT NOT NULL,
    "CaseNumber" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "YouthPersonnummer" TEXT NOT NULL,
    "YouthGivenName" TEXT NOT NULL,
    "YouthFamilyName" TEXT NOT NULL,
    "YouthSchool" TEXT NULL,
    "YouthAddress" TEXT NULL,
    "YouthProtectedIdentity" INTEGER NOT NULL,
    "SignalCategory" TEXT NOT NULL,
    "ProposedParties" TEXT NOT NULL,
    "CoordinatorUserId" TEXT NOT NULL,
    "OpenedAt" INTEGER NOT NULL,
    "ClosedAt" INTEGER NULL,
    "CloseReason" TEXT NULL,
    "CloseComment" TEXT NULL,
    "ReopenableUntil" INTEGER NULL,
    "Version" INTEGER NOT NULL,
    "YouthPersonnummerIndex" TEXT NULL,
    CONSTRAINT "FK_Cases_Municipalities_MunicipalityId" FOREIGN KEY ("MunicipalityId") REFERENCES "Municipalities" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ConcernReports" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ConcernReports" PRIMARY KEY,
    "MunicipalityId" TEXT NOT NULL,
    "CaseId" TEXT NULL,
    "State" TEXT NOT NULL,
    "ReporterUserId" TEXT NOT NULL,
    "ReporterParty" TEXT NOT NULL,
    "ReceivedAt" INTEGER NOT NULL,
    "Content" TEXT NOT NULL,
    "YouthPersonnummer" TEXT NULL,
    "YouthName" TEXT NULL,
    "ConcernsViolenceAgainstChild" INTEGER NOT NULL,
    "ResponsibleUserId" TEXT NOT NULL,
    "EscalateToUserId" TEXT NOT NULL,
    "ProtectionAssessment" TEXT NULL,
    "ImmediateProtectionNeeded" INTEGER NULL,
    "ProtectionAssessedAt" INTEGER NULL,
    "DecidedAt" INTEGER NULL,
    "InvestigationOpenedAt" INTEGER NULL,
    "InvestigationDueAt" INTEGER NULL,
    "InvestigationClosedAt" INTEGER NULL,
    "ReporterFeedbackGivenAt" INTEGER NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "FK_ConcernReports_Municipalities_MunicipalityId" FOREIGN KEY ("MunicipalityId") REFERENCES "Municipalities" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "UnitId" TEXT NOT NULL,
    "IsDisabled" INTEGER NOT NULL,
    "LastTotpTimeStep" INTEGER NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" INTEGER NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL,
    CONSTRAINT "FK_AspNetUsers_PartyUnits_UnitId" FOREIGN KEY ("UnitId") REFERENCES "PartyUnits" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "UnitMunicipality" (
    "UnitId" TEXT NOT NULL,
    "MunicipalityId" TEXT NOT NULL,
    CONSTRAINT "PK_UnitMunicipality" PRIMARY KEY ("UnitId", "MunicipalityId"),
    CONSTRAINT "FK_UnitMunicipality_Municipalities_MunicipalityId" FOREIGN KEY ("MunicipalityId") REFERENCES "Municipalities" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_UnitMunicipality_PartyUnits_UnitId" FOREIGN KEY ("UnitId") REFERENCES "PartyUnits" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ActionPlans" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ActionPlans" PRIMARY KEY,
    "MeetingId" TEXT NOT NULL,
    "Goals" TEXT NOT NULL,
    "AdoptedAt" INTEGER NOT NULL,
    "RevisedAt" INTEGER NULL,
    "CaseId" TEXT NULL,
    CONSTRAINT "FK_ActionPlans_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);

CREATE TABLE "CaseMembers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CaseMembers" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Party" TEXT NOT NULL,
    "AddedAt" INTEGER NOT NULL,
    "AddedByUserId" TEXT NOT NULL,
    "CaseId" TEXT NOT NULL,
    CONSTRAINT "FK_CaseMembers_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Consents" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Consents" PRIMARY KEY,
    "State" TEXT NOT NULL,
    "Parties" TEXT NOT NULL,
    "Categories" TEXT NOT NULL,
    "ValidityMonths" INTEGER NOT NULL,
    "RequestedAt" INTEGER NOT NULL,
    "RequestedByUserId" TEXT NOT NULL,
    "ValidFrom" INTEGER NULL,
    "ValidTo" INTEGER NULL,
    "ScopeNarrowedAt" INTEGER NULL,
    "CaseId" TEXT NOT NULL,
    CONSTRAINT "FK_Consents_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Disclosures" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Disclosures" PRIMARY KEY,
    "State" TEXT NOT NULL,
    "LegalBasis" TEXT NOT NULL,
    "Justification" TEXT NOT NULL,
    "Categories" TEXT NOT NULL,
    "DecisionMaker" TEXT NOT NULL,
    "ReceivingPoliceUserId" TEXT NOT NULL,
    "RecordedByUserId" TEXT NOT NULL,
    "DisclosedAt" INTEGER NOT NULL,
    "EndsAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    "CaseId" TEXT NOT NULL,
    CONSTRAINT "FK_Disclosures_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);

CREATE TABLE "FollowUps" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_FollowUps" PRIMARY KEY,
    "State" TEXT NOT NULL,
    "DueAt" INTEGER NOT NULL,
    "OverallAssessment" TEXT NULL,
    "DoneAt" INTEGER NULL,
    "CaseId" TEXT NOT NULL,
    CONSTRAINT "FK_FollowUps_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Guardians" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Guardians" PRIMARY KEY,
    "GivenName" TEXT NOT NULL,
    "FamilyName" TEXT NOT NULL,
    "Personnummer" TEXT NULL,
    "Phone" TEXT NULL,
    "Email" TEXT NULL,
    "Address" TEXT NULL,
    "HasCustody" INTEGER NOT NULL,
    "DoNotContact" INTEGER NOT NULL,
    "CaseId" TEXT NOT NULL,
    CONSTRAINT "FK_Guardians_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Interventions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Interventions" PRIMARY KEY,
    "State" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "OwnerParty" TEXT NOT NULL,
    "ResponsibleUserId" TEXT NOT NULL,
    "Goal" TEXT NOT NULL,
    "StartDate" TEXT NULL,
    "PlannedEndDate" TEXT NULL,
    "IsBistand" INTEGER NOT NULL,
    "DecisionReference" TEXT NULL,
    "ProposedAt" INTEGER NOT NULL,
    "Outcome" TEXT NULL,
    "OutcomeComment" TEXT NULL,
    "CompletedAt" INTEGER NULL,
    "CaseId" TEXT NOT NULL,
    CONSTRAINT "FK_Interventions_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Meetings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Meetings" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "StartsAt" INTEGER NOT NULL,
    "Location" TEXT NULL,
    "OrganizerUserId" TEXT NOT NULL,
    "InviteeUserIds" TEXT NOT NULL,
    "AttendeeUserIds" TEXT NOT NULL,
    "AttendingGuardianIds" TEXT NOT NULL,
    "YouthAttended" INTEGER NOT NULL,
    "Minutes" TEXT NULL,
    "HeldAt" INTEGER NULL,
    "MinutesApprovedAt" INTEGER NULL,
    "MinutesApprovedByUserId" TEXT NULL,
    "CaseId" TEXT NOT NULL,
    CONSTRAINT "FK_Meetings_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Deadlines" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Deadlines" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "SubjectId" TEXT NOT NULL,
    "DueAt" INTEGER NOT NULL,
    "RemindAt" INTEGER NULL,
    "ResponsibleUserId" TEXT NOT NULL,
    "EscalateToUserId" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ClosedAt" INTEGER NULL,
    "ReminderSentAt" INTEGER NULL,
    "EscalatedAt" INTEGER NULL,
    "CaseId" TEXT NULL,
    "ConcernReportId" TEXT NULL,
    CONSTRAINT "FK_Deadlines_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Deadlines_ConcernReports_ConcernReportId" FOREIGN KEY ("ConcernReportId") REFERENCES "ConcernReports" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TransitionEvents" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_TransitionEvents" PRIMARY KEY,
    "Workflow" TEXT NOT NULL,
    "SubjectId" TEXT NOT NULL,
    "From" TEXT NOT NULL,
    "To" TEXT NOT NULL,
    "Trigger" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "ActorUserId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "CaseId" TEXT NULL,
    "ConcernReportId" TEXT NULL,
    "KeyOwnerId" TEXT NOT NULL,
    "Sequence" INTEGER NOT NULL,
    CONSTRAINT "FK_TransitionEvents_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TransitionEvents_ConcernReports_ConcernReportId" FOREIGN KEY ("ConcernReportId") REFERENCES "ConcernReports" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AuthSessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AuthSessions" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "MultiFactor" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    "RevokedReason" TEXT NULL,
    CONSTRAINT "FK_AuthSessions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ConsentAnswers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ConsentAnswers" PRIMARY KEY,
    "SignatoryKind" TEXT NOT NULL,
    "GuardianId" TEXT NULL,
    "Given" INTEGER NOT NULL,
    "Form" TEXT NOT NULL,
    "DocumentRef" TEXT NULL,
    "VerbalRecordedBy" TEXT NULL,
    "ObtainedBy" TEXT NOT NULL,
    "RecordedByUserId" TEXT NOT NULL,
    "AnsweredAt" INTEGER NOT NULL,
    "ConsentId" TEXT NULL,
    "KeyOwnerId" TEXT NOT NULL,
    CONSTRAINT "FK_ConsentAnswers_Consents_ConsentId" FOREIGN KEY ("ConsentId") REFERENCES "Consents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "FollowUpAssessments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_FollowUpAssessments" PRIMARY KEY,
    "InterventionId" TEXT NOT NULL,
    "Assessment" TEXT NOT NULL,
    "FollowUpId" TEXT NULL,
    "KeyOwnerId" TEXT NOT NULL,
    CONSTRAINT "FK_FollowUpAssessments_FollowUps_FollowUpId" FOREIGN KEY ("FollowUpId") REFERENCES "FollowUps" ("Id") ON DELETE CASCADE
);

CREATE TABLE "RefreshTokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_RefreshTokens" PRIMARY KEY,
    "SessionId" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "ConsumedAt" INTEGER NULL,
    CONSTRAINT "FK_RefreshTokens_AuthSessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "AuthSessions" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AccessEvents_ActorUserId_At" ON "AccessEvents" ("ActorUserId", "At");

CREATE INDEX "IX_AccessEvents_At" ON "AccessEvents" ("At");

CREATE INDEX "IX_AccessEvents_CaseId_At" ON "AccessEvents" ("CaseId", "At");

CREATE UNIQUE INDEX "IX_AccessEvents_Sequence" ON "AccessEvents" ("Sequence");

CREATE UNIQUE INDEX "IX_ActionPlans_CaseId" ON "ActionPlans" ("CaseId");

CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE INDEX "IX_AspNetUsers_UnitId" ON "AspNetUsers" ("UnitId");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE INDEX "IX_AuthSessions_UserId" ON "AuthSessions" ("UserId");

CREATE INDEX "IX_CaseMembers_CaseId" ON "CaseMembers" ("CaseId");

CREATE UNIQUE INDEX "IX_CaseMembers_UserId_CaseId" ON "CaseMembers" ("UserId", "CaseId");

CREATE UNIQUE INDEX "IX_Cases_MunicipalityId_CaseNumber" ON "Cases" ("MunicipalityId", "CaseNumber");

CREATE INDEX "IX_Cases_MunicipalityId_OpenedAt" ON "Cases" ("MunicipalityId", "OpenedAt");

CREATE INDEX "IX_Cases_MunicipalityId_State" ON "Cases" ("MunicipalityId", "State");

CREATE INDEX "IX_Cases_MunicipalityId_YouthPersonnummerIndex" ON "Cases" ("MunicipalityId", "YouthPersonnummerIndex");

CREATE INDEX "IX_ConcernReports_CaseId" ON "ConcernReports" ("CaseId");

CREATE INDEX "IX_ConcernReports_MunicipalityId_State" ON "ConcernReports" ("MunicipalityId", "State");

CREATE INDEX "IX_ConcernReports_ReporterUserId" ON "ConcernReports" ("ReporterUserId");

CREATE INDEX "IX_ConsentAnswers_ConsentId" ON "ConsentAnswers" ("ConsentId");

CREATE INDEX "IX_Consents_CaseId_State" ON "Consents" ("CaseId", "State");

CREATE UNIQUE INDEX "IX_DataKeys_OwnerId_Version" ON "DataKeys" ("OwnerId", "Version");

CREATE INDEX "IX_Deadlines_CaseId" ON "Deadlines" ("CaseId");

CREATE INDEX "IX_Deadlines_ConcernReportId" ON "Deadlines" ("ConcernReportId");

CREATE INDEX "IX_Deadlines_ResponsibleUserId_State_DueAt" ON "Deadlines" ("ResponsibleUserId", "State", "DueAt");

CREATE INDEX "IX_Deadlines_State_DueAt" ON "Deadlines" ("State", "DueAt");

CREATE INDEX "IX_Disclosures_CaseId" ON "Disclosures" ("CaseId");

CREATE INDEX "IX_Disclosures_ReceivingPoliceUserId" ON "Disclosures" ("ReceivingPoliceUserId");

CREATE INDEX "IX_FollowUpAssessments_FollowUpId" ON "FollowUpAssessments" ("FollowUpId");

CREATE INDEX "IX_FollowUps_CaseId" ON "FollowUps" ("CaseId");

CREATE INDEX "IX_Guardians_CaseId" ON "Guardians" ("CaseId");

CREATE INDEX "IX_Interventions_CaseId" ON "Interventions" ("CaseId");

CREATE INDEX "IX_Meetings_CaseId" ON "Meetings" ("CaseId");

CREATE UNIQUE INDEX "IX_Municipalities_Code" ON "Municipalities" ("Code");

CREATE INDEX "IX_RefreshTokens_SessionId" ON "RefreshTokens" ("SessionId");

CREATE UNIQUE INDEX "IX_RefreshTokens_TokenHash" ON "RefreshTokens" ("TokenHash");

CREATE INDEX "IX_TransitionEvents_CaseId" ON "TransitionEvents" ("CaseId");

CREATE INDEX "IX_TransitionEvents_ConcernReportId" ON "TransitionEvents" ("ConcernReportId");

CREATE INDEX "IX_UnitMunicipality_MunicipalityId" ON "UnitMunicipality" ("MunicipalityId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261122051212_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "Notifications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Notifications" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "DeadlineId" TEXT NOT NULL,
    "Step" TEXT NOT NULL,
    "CaseId" TEXT NULL,
    "ConcernReportId" TEXT NULL,
    "Text" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ReadAt" INTEGER NULL
);

CREATE TABLE "ReminderDeliveries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ReminderDeliveries" PRIMARY KEY,
    "DeadlineId" TEXT NOT NULL,
    "Step" TEXT NOT NULL,
    "Channel" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "SentAt" INTEGER NULL,
    "LastError" TEXT NULL
);

CREATE INDEX "IX_Notifications_UserId_CreatedAt" ON "Notifications" ("UserId", "CreatedAt");

CREATE UNIQUE INDEX "IX_ReminderDeliveries_DeadlineId_Step_Channel" ON "ReminderDeliveries" ("DeadlineId", "Step", "Channel");

CREATE INDEX "IX_ReminderDeliveries_State_NextAttemptAt" ON "ReminderDeliveries" ("State", "NextAttemptAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261130100301_Reminders', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "AuditCheckpoints" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AuditCheckpoints" PRIMARY KEY,
    "Sequence" INTEGER NOT NULL,
    "Hash" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL
);

CREATE INDEX "IX_AuditCheckpoints_Sequence" ON "AuditCheckpoints" ("Sequence");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261130102639_AuditCheckpoints', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "RoleGrants" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_RoleGrants" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Roles" TEXT NOT NULL,
    "RequestedByUserId" TEXT NOT NULL,
    "RequestedAt" INTEGER NOT NULL,
    "State" TEXT NOT NULL,
    "DecidedByUserId" TEXT NULL,
    "DecidedAt" INTEGER NULL,
    CONSTRAINT "FK_RoleGrants_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_RoleGrants_State" ON "RoleGrants" ("State");

CREATE INDEX "IX_RoleGrants_UserId_State" ON "RoleGrants" ("UserId", "State");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261204173556_AdminRoleGrants', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "AspNetUsers" ADD "MustChangePassword" INTEGER NOT NULL DEFAULT 0;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261204174202_SignInHardening', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "CaseMembershipPeriods" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_CaseMembershipPeriods" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Party" TEXT NOT NULL,
    "From" INTEGER NOT NULL,
    "AddedByUserId" TEXT NOT NULL,
    "Until" INTEGER NULL,
    "RemovedByUserId" TEXT NULL,
    "CaseId" TEXT NOT NULL,
    CONSTRAINT "FK_CaseMembershipPeriods_Cases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "Cases" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_CaseMembershipPeriods_CaseId_UserId_From" ON "CaseMembershipPeriods" ("CaseId", "UserId", "From");

INSERT INTO "CaseMembershipPeriods" ("Id", "UserId", "Party", "From", "AddedByUserId", "CaseId") SELECT "Id", "UserId", "Party", "AddedAt", "AddedByUserId", "CaseId" FROM "CaseMembers"

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261204203558_MembershipHistory', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "OpenIddictApplications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictApplications" PRIMARY KEY,
    "ApplicationType" TEXT NULL,
    "ClientId" TEXT NULL,
    "ClientSecret" TEXT NULL,
    "ClientType" TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "ConsentType" TEXT NULL,
    "DisplayName" TEXT NULL,
    "DisplayNames" TEXT NULL,
    "JsonWebKeySet" TEXT NULL,
    "Permissions" TEXT NULL,
    "PostLogoutRedirectUris" TEXT NULL,
    "Properties" TEXT NULL,
    "RedirectUris" TEXT NULL,
    "Requirements" TEXT NULL,
    "Settings" TEXT NULL
);

CREATE TABLE "OpenIddictScopes" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictScopes" PRIMARY KEY,
    "ConcurrencyToken" TEXT NULL,
    "Description" TEXT NULL,
    "Descriptions" TEXT NULL,
    "DisplayName" TEXT NULL,
    "DisplayNames" TEXT NULL,
    "Name" TEXT NULL,
    "Properties" TEXT NULL,
    "Resources" TEXT NULL
);

CREATE TABLE "OpenIddictAuthorizations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictAuthorizations" PRIMARY KEY,
    "ApplicationId" TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "CreationDate" TEXT NULL,
    "Properties" TEXT NULL,
    "Scopes" TEXT NULL,
    "Status" TEXT NULL,
    "Subject" TEXT NULL,
    "Type" TEXT NULL,
    CONSTRAINT "FK_OpenIddictAuthorizations_OpenIddictApplications_ApplicationId" FOREIGN KEY ("ApplicationId") REFERENCES "OpenIddictApplications" ("Id")
);

CREATE TABLE "OpenIddictTokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictTokens" PRIMARY KEY,
    "ApplicationId" TEXT NULL,
    "AuthorizationId" TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "CreationDate" TEXT NULL,
    "ExpirationDate" TEXT NULL,
    "Payload" TEXT NULL,
    "Properties" TEXT NULL,
    "RedemptionDate" TEXT NULL,
    "ReferenceId" TEXT NULL,
    "Status" TEXT NULL,
    "Subject" TEXT NULL,
    "Type" TEXT NULL,
    CONSTRAINT "FK_OpenIddictTokens_OpenIddictApplications_ApplicationId" FOREIGN KEY ("ApplicationId") REFERENCES "OpenIddictApplications" ("Id"),
    CONSTRAINT "FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId" FOREIGN KEY ("AuthorizationId") REFERENCES "OpenIddictAuthorizations" ("Id")
);

CREATE UNIQUE INDEX "IX_OpenIddictApplications_ClientId" ON "OpenIddictApplications" ("ClientId");

CREATE INDEX "IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type" ON "OpenIddictAuthorizations" ("ApplicationId", "Status", "Subject", "Type");

CREATE UNIQUE INDEX "IX_OpenIddictScopes_Name" ON "OpenIddictScopes" ("Name");

CREATE INDEX "IX_OpenIddictTokens_ApplicationId_Status_Subject_Type" ON "OpenIddictTokens" ("ApplicationId", "Status", "Subject", "Type");

CREATE INDEX "IX_OpenIddictTokens_AuthorizationId" ON "OpenIddictTokens" ("AuthorizationId");

CREATE UNIQUE INDEX "IX_OpenIddictTokens_ReferenceId" ON "OpenIddictTokens" ("ReferenceId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261204204206_OpenIddict', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Cases" ADD "AgeBandAtOpening" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261204220022_StatisticsAgeBand', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "AspNetUsers" ADD "EmployeeNumber" TEXT NULL;

ALTER TABLE "AspNetUsers" ADD "HsaId" TEXT NULL;

CREATE INDEX "IX_AspNetUsers_EmployeeNumber" ON "AspNetUsers" ("EmployeeNumber");

CREATE UNIQUE INDEX "IX_AspNetUsers_HsaId" ON "AspNetUsers" ("HsaId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261204234052_FederatedIdentity', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE INDEX "IX_TransitionEvents_Workflow_To_At" ON "TransitionEvents" ("Workflow", "To", "At");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261204234135_StatisticsIndex', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
DROP INDEX "IX_ReminderDeliveries_DeadlineId_Step_Channel";

CREATE UNIQUE INDEX "IX_ReminderDeliveries_DeadlineId_Step_Channel_UserId" ON "ReminderDeliveries" ("DeadlineId", "Step", "Channel", "UserId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261204234321_EscalationRecipients', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
DROP INDEX "IX_TransitionEvents_Workflow_To_At";

DROP INDEX "IX_Cases_MunicipalityId_OpenedAt";

CREATE INDEX "IX_TransitionEvents_Workflow_To_At_CaseId_SubjectId" ON "TransitionEvents" ("Workflow", "To", "At", "CaseId", "SubjectId");

CREATE INDEX "IX_Cases_MunicipalityId_OpenedAt_Id" ON "Cases" ("MunicipalityId", "OpenedAt", "Id");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261205025301_StatisticsSpeed', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
DROP TABLE "RefreshTokens";

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261205025949_RetireOwnTokens', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE INDEX "IX_Meetings_HeldAt_CaseId_Kind" ON "Meetings" ("HeldAt", "CaseId", "Kind");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261205055844_StatisticsSpeedTwo', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "OpenIddictTokens" ADD "ApiSecurityStamp" TEXT NULL;

ALTER TABLE "OpenIddictTokens" ADD "ApiSessionId" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261205055857_TokenSession', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
DROP INDEX "IX_AuditCheckpoints_Sequence";

DROP INDEX "IX_AccessEvents_Sequence";

ALTER TABLE "AuditCheckpoints" ADD "Stripe" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "AccessEvents" ADD "Stripe" INTEGER NOT NULL DEFAULT 0;

CREATE INDEX "IX_AuditCheckpoints_Stripe_Sequence" ON "AuditCheckpoints" ("Stripe", "Sequence");

CREATE UNIQUE INDEX "IX_AccessEvents_Stripe_Sequence" ON "AccessEvents" ("Stripe", "Sequence");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261205091730_AuditChainSpeed', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206224104_YouthComplexProperty', '10.0.15');

COMMIT;

