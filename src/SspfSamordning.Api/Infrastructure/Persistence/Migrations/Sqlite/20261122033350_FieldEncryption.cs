using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SspfSamordning.Api.Infrastructure.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "KeyOwnerId",
                table: "FollowUpAssessments",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "KeyOwnerId",
                table: "ConsentAnswers",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "YouthPersonnummerIndex",
                table: "Cases",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DataKeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    WrappedKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RetiredAt = table.Column<long>(type: "INTEGER", nullable: true)
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
