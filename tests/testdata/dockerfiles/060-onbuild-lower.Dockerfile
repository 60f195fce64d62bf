from ruby:2.7
run bundle config --global frozen 1
workdir /usr/src/app
onbuild copy Gemfile Gemfile.lock ./
onbuild run bundle install
onbuild copy . .
cmd ["irb"]
