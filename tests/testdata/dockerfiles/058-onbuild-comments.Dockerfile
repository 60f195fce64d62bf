FROM ruby:3.1

# between instructions
RUN bundle config --global frozen 1

# between instructions
WORKDIR /usr/src/app

# between instructions
ONBUILD COPY Gemfile Gemfile.lock ./

# between instructions
ONBUILD RUN bundle install

# between instructions
ONBUILD COPY . .

# between instructions
CMD ["irb"]

# between instructions
