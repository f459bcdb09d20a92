using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SspfSamordning.Api.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class MembershipHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CaseMembershipPeriods",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UserId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Party = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    From = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    AddedByUserId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Until = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RemovedByUserId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    CaseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseMembershipPeriods", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseMembershipPeriods_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseMembershipPeriods_CaseId_UserId_From",
                table: "CaseMembershipPeriods",
                columns: new[] { "CaseId", "UserId", "From" });

            // Today's members get an open period from when they were added (the period takes the membership's id);
            // removals before this migration left no trace.
            migrationBuilder.Sql(
                "INSERT INTO [CaseMembershipPeriods] ([Id], [UserId], [Party], [From], [AddedByUserId], [CaseId]) " +
                "SELECT [Id], [UserId], [Party], [AddedAt], [AddedByUserId], [CaseId] FROM [CaseMembers]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaseMembershipPeriods");
        }
    }
}
