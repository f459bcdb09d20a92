using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SspfSamordning.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FieldEncryption : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "KeyOwnerId",
                table: "TransitionEvents",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "KeyOwnerId",
                table: "FollowUpAssessments",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "KeyOwnerId",
                table: "ConsentAnswers",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "YouthPersonnummerIndex",
                table: "Cases",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DataKeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    WrappedKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataKeys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MunicipalityId_YouthPersonnummerIndex",
                table: "Cases",
                columns: new[] { "MunicipalityId", "YouthPersonnummerIndex" });

            migrationBuilder.CreateIndex(
                name: "IX_DataKeys_OwnerId_Version",
                table: "DataKeys",
                columns: new[] { "OwnerId", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataKeys");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MunicipalityId_YouthPersonnummerIndex",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "KeyOwnerId",
                table: "TransitionEvents");

            migrationBuilder.DropColumn(
                name: "KeyOwnerId",
                table: "FollowUpAssessments");

            migrationBuilder.DropColumn(
                name: "KeyOwnerId",
                table: "ConsentAnswers");

            migrationBuilder.DropColumn(
                name: "YouthPersonnummerIndex",
                table: "Cases");
        }
    }
}
