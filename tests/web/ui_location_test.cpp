// Where the server looks for the built UI when the config file does not say.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "web/ui_location.hpp"

namespace xiehui::web {
namespace {

namespace fs = std::filesystem;

class UiLocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("xiehui-ui-location-" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path built(const fs::path& dir) const {
    fs::create_directories(root_ / dir);
    std::ofstream(root_ / dir / "index.html") << "<!doctype html>";
    return root_ / dir;
  }

  fs::path root_;
};

TEST_F(UiLocationTest, TheSettingWinsEvenWhenNothingIsThere) {
  built("usr/share/xiehui/ui");
  EXPECT_EQ(locate_ui("/srv/ui", root_ / "usr/bin/xiehui", root_ / "src/web/ui/dist"),
            fs::path("/srv/ui"));
}

TEST_F(UiLocationTest, InstalledBesideTheExecutableComesFirst) {
  const fs::path installed = built("usr/share/xiehui/ui");
  built("src/web/ui/dist");
  EXPECT_EQ(locate_ui("", root_ / "usr/bin/xiehui", root_ / "src/web/ui/dist"), installed);
}

TEST_F(UiLocationTest, ABuildFindsItsSourceTree) {
  const fs::path source = built("src/web/ui/dist");
  EXPECT_EQ(locate_ui("", root_ / "src/build/xiehui", source), source);
}

TEST_F(UiLocationTest, ADirectoryWithoutIndexHtmlDoesNotCount) {
  fs::create_directories(root_ / "usr/share/xiehui/ui/assets");  // left over, no index.html
  const fs::path source = built("src/web/ui/dist");
  EXPECT_EQ(locate_ui("", root_ / "usr/bin/xiehui", source), source);
}

TEST_F(UiLocationTest, NothingBuiltNamesTheInstalledPlaceForThePlaceholder) {
  if (fs::exists("/usr/share/xiehui/ui/index.html") || fs::exists("web/ui/dist/index.html")) {
    // The fallbacks outside root_ exist on this machine: then they are the answer.
    EXPECT_TRUE(
        fs::exists(locate_ui("", root_ / "usr/bin/xiehui", root_ / "nowhere") / "index.html"));
    return;
  }
  EXPECT_EQ(locate_ui("", root_ / "usr/bin/xiehui", root_ / "nowhere"),
            root_ / "usr/share/xiehui/ui");
}

}  // namespace
}  // namespace xiehui::web
